// The shipped brand defaults, compiled by hand from the brands' own sites
// and public WHOIS/DNS facts: commonly phished brands and the registrable
// domains each one owns (product, CDN, DNS and defensive registrations), so
// that a brand's own infrastructure is never flagged as imitating it.
// Replaceable by configuration (brands import).

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "server/lookalike/brand.h"

namespace lureguard::lookalike {
namespace {

// Country-code suffixes under which the global brands below register their
// name (google.de, amazon.co.uk, ebay.com.au).
constexpr absl::string_view kGoogleSuffixes =
    "com ad ae al am as at az ba be bf bg bi bj bs bt by ca cat cd cf cg ch "
    "ci cl cm cn co.ao co.bw co.ck co.cr co.id co.il co.in co.jp co.ke co.kr "
    "co.ls co.ma co.mz co.nz co.th co.tz co.ug co.uk co.uz co.ve co.vi co.za "
    "co.zm co.zw com.af com.ag com.ai com.ar com.au com.bd com.bh com.bn "
    "com.bo com.br com.bz com.co com.cu com.cy com.do com.ec com.eg com.et "
    "com.fj com.gh com.gi com.gt com.hk com.jm com.kh com.kw com.lb com.ly "
    "com.mm com.mt com.mx com.my com.na com.ng com.ni com.np com.om com.pa "
    "com.pe com.pg com.ph com.pk com.pr com.py com.qa com.sa com.sb com.sg "
    "com.sl com.sv com.tj com.tr com.tw com.ua com.uy com.vc com.vn cv cz de "
    "dj dk dm dz ee es fi fm fr ga ge gg gl gm gr gy hn hr ht hu ie im iq is "
    "it je jo kg ki kz la li lk lt lu lv md me mg mk ml mn ms mu mv mw ne nl "
    "no nr nu pl pn ps pt ro rs ru rw sc se sh si sk sm sn so sr st td tg tl "
    "tm tn to tt vg vu ws org net info biz io dev app ai page";
constexpr absl::string_view kAmazonSuffixes =
    "com co.uk de co.jp fr it es ca in com.br com.au com.mx nl pl se sg ae "
    "sa eg com.tr com.be cn jobs dev science ie co.za eu jp";
constexpr absl::string_view kEbaySuffixes =
    "com de co.uk com.au ca fr it es at be ch ie nl pl ph com.sg com.my "
    "com.hk in cn us";
constexpr absl::string_view kYahooSuffixes =
    "com co.jp co.uk de fr es it com.au com.br com.tw com.hk com.sg ca in "
    "net";

// One brand per entry: name | tokens | domains | suffix set for the first
// token ("google" + kGoogleSuffixes).
struct BrandRow {
  const char* name;
  const char* tokens;
  const char* domains;
  absl::string_view extra_suffixes;
};

constexpr BrandRow kRows[] = {
    {"PayPal",
     "paypal",
     "paypal.com paypal.me paypalobjects.com paypal-community.com "
     "paypal.co.uk paypal.de paypal.fr paypal.it paypal.es paypal.ca "
     "paypal.com.au paypal.cn paypal.jp paypal.nl paypal.pl paypal.ch "
     "paypal.at paypal.be paypal.ie paypal.se paypal.dk paypal.no "
     "paypal.com.br paypal.com.mx paypal.in paypal.ru paypal-prepaid.com "
     "paypal-corp.com paypal-brasil.com.br paypal-mobilecash.com "
     "paypal-apps.com paypalinc.com paypal.net paypal.org paypal.biz "
     "paypal.info paypal.co paypal.us paypalcredit.com braintreegateway.com "
     "braintreepayments.com venmo.com xoom.com",
     {}},
    {"Microsoft",
     "microsoft,office365,onedrive,sharepoint,hotmail,microsoftonline,"
     "outlook",
     "microsoft.com office.com office.net office365.com outlook.com live.com "
     "live.net microsoftonline.com microsoftonline-p.com sharepoint.com "
     "sharepointonline.com onedrive.com onedrive.live.com hotmail.com "
     "hotmail.co.uk hotmail.fr hotmail.de hotmail.it hotmail.es msn.com "
     "microsoft365.com windows.com windows.net windowsupdate.com azure.com "
     "azure.net azureedge.net azurewebsites.net msft.net msftncsi.com "
     "msedge.net spo-msedge.net spov-msedge.net b-msedge.net s-msedge.net "
     "microsoft.us office365.us microsoftapp.net onmicrosoft.com "
     "cloud.microsoft mail.microsoft sharepoint-df.com microsoftstore.com "
     "microsoft.net "
     "bing.com bing.net skype.com xbox.com xboxlive.com linkedin.com "
     "msauth.net msauthimages.net msftauth.net msidentity.com msocsp.com "
     "microsoftazuread-sso.com mcas.ms sfx.ms aka.ms gfx.ms "
     "officeapps.live.com outlook.office365.com trafficmanager.net "
     "visualstudio.com dynamics.com powerbi.com microsoftonline.us "
     "office.de microsoft.de microsoft.fr microsoft.co.uk microsoft.ca "
     "microsoftcasualgames.com microsoftedge.com microsoftstream.com "
     "microsoftpersonalcontent.com outlook.cn outlook.de onenote.com "
     "onenote.net msecnd.net microsoftonline.cn microsoftonline-p.net "
     "microsoftusercontent.com microsofttranslator.com s-microsoft.com "
     "microsoftmetrics.com microsoftcrmportals.com microsoftedgeinsider.com "
     "sharepoint.us sharepoint-mil.us sharepoint.cn office365.cn "
     "a-msedge.net ax-msedge.net dual-s-msedge.net wac-msedge.net "
     "l-msedge.net e-msedge.net t-msedge.net",
     {}},
    {"Apple",
     "apple,icloud,appleid,itunes",
     "apple.com icloud.com icloud.com.cn me.com mac.com itunes.com "
     "apple.news appleid.com cdn-apple.com apple-dns.net apple-dns.cn "
     "aaplimg.com mzstatic.com icloud-content.com apple-cloudkit.com "
     "apple-mapkit.com applemusic.com apple.co apple.cn apple.de apple.fr "
     "apple.co.uk apple.ca apple.com.cn appstore.com apple-livephotoskit.com "
     "itunes.apple.com apple.co.jp applecard.apple applemediaservices.com",
     {}},
    {"Amazon", "amazon",
     "amazonaws.com media-amazon.com ssl-images-amazon.com images-amazon.com "
     "amazon-adsystem.com amazonvideo.com amazontrust.com amazonalexa.com "
     "amazonsilk.com amazon-ads-attestation.com amazonpay.com "
     "amazonpay.in amazon.work awsstatic.com aws.amazon.com api.aws "
     "amazon-corp.com amazoncognito.com amazonses.com amazonmusic.com "
     "primevideo.com amazon.careers amazonlogistics.com a2z.com "
     "amazon-dss.com amazoninspire.com amazonforum.com amazon.eg "
     "amazon.dev awsapps.com cloudfront.net payments-amazon.com "
     "aboutamazon.com amazonworkspaces.com amazonlightsail.com "
     "amazonworkdocs.com amazonwebservices.com amazongames.com "
     "assoc-amazon.com",
     kAmazonSuffixes},
    {"Google", "google,gmail,googleapis,googledrive",
     "gmail.com googleapis.com googleusercontent.com googlevideo.com "
     "gstatic.com googletagmanager.com google-analytics.com "
     "googlesyndication.com googleadservices.com doubleclick.net youtube.com "
     "ytimg.com ggpht.com googledomains.com goo.gl googl.com goole.com "
     "gogle.com googel.com g.co google.ru withgoogle.com googlemail.com "
     "googleblog.com firebaseio.com firebaseapp.com appspot.com "
     "blogspot.com googlecode.com 1e100.net gvt1.com gvt2.com "
     "googlezip.net googleapis.cn chromium.org chrome.com android.com "
     "google-apps.com googleoptimize.com googleplex.com google.us google.ac "
     "googletagservices.com googlesource.com thinkwithgoogle.com "
     "googlecommerce.com googlehosted.com googlegroups.com googlebot.com "
     "googledrive.com googlepages.com googlelabs.com googleplus.com "
     "googleapps.com googleforwork.com doubleclickbygoogle.com "
     "googlefiber.net googleadsserving.cn",
     kGoogleSuffixes},
    {"Facebook",
     "facebook",
     "facebook.com fb.com facebook.net fbcdn.net fbsbx.com fb.me "
     "facebookmail.com meta.com messenger.com thefacebook.com "
     "facebook-hardware.com facebookcorewwwi.onion fbcdn.com "
     "accountkit.com",
     {}},
    {"Instagram",
     "instagram",
     "instagram.com cdninstagram.com instagr.am ig.me instagram.net",
     {}},
    {"WhatsApp",
     "whatsapp",
     "whatsapp.com whatsapp.net wa.me whatsapp.org whatsapp.info "
     "whatsapp.tv whatsapp.biz whatsappbrand.com",
     {}},
    {"Netflix",
     "netflix",
     "netflix.com netflix.net nflxvideo.net nflximg.net nflximg.com "
     "nflxext.com nflxso.net netflix.ca netflix.co.uk netflixstudios.com "
     "netflixtechblog.com",
     {}},
    {"LinkedIn",
     "linkedin",
     "linkedin.com licdn.com lnkd.in linkedin.cn linkedin-ei.com",
     {}},
    {"Twitter",
     "twitter",
     "twitter.com x.com twimg.com t.co twttr.com twitter.co ads-twitter.com",
     {}},
    {"DHL",
     "dhl",
     "dhl.com dhl.de dhl.co.uk dhl.fr dhl.nl dhl.es dhl.it dhl.com.au "
     "dhl.ca dhl.pl dhl.ch dhl.at dhl.be dhl.us dhlparcel.nl dhlparcel.co.uk "
     "dhl-usa.com dhlecommerce.com dhl.net deutschepost.de",
     {}},
    {"FedEx", "fedex", "fedex.com fedex.ca fedex.co.uk fedex.de", {}},
    {"USPS",
     "usps",
     "usps.com usps.gov uspsinformeddelivery.com uspis.gov",
     {}},
    {"Royal Mail",
     "royalmail",
     "royalmail.com royalmail.co.uk royalmailgroup.com",
     {}},
    {"Chase",
     "chase,jpmorgan,jpmchase",
     "chase.com jpmorgan.com jpmorganchase.com jpmchase.com gslbjpmchase.com "
     "chasecdn.com chase.co.uk jpmchase.net chasepaymentech.com",
     {}},
    {"Wells Fargo",
     "wellsfargo",
     "wellsfargo.com wf.com wellsfargomedia.com wellsfargoadvisors.com "
     "wellsfargo.net",
     {}},
    {"Bank of America",
     "bankofamerica",
     "bankofamerica.com bofa.com bac.com mbna.com ml.com merrilledge.com "
     "bankofamerica.net",
     {}},
    {"HSBC",
     "hsbc",
     "hsbc.com hsbc.co.uk hsbc.com.hk hsbc.fr hsbc.ca hsbc.com.au hsbc.com.mx "
     "hsbc.co.in hsbcnet.com hsbc.net us.hsbc.com hsbc.com.sg",
     {}},
    {"Santander",
     "santander",
     "santander.com santander.co.uk santander.com.br santander.es "
     "santander.de santander.pl santander.cl santander.com.mx "
     "santanderbank.com santander.pt santander.com.ar santanderconsumer.com "
     "santanderconsumerusa.com bancosantander.es santanderopenacademy.com",
     {}},
    {"Barclays",
     "barclays,barclaycard",
     "barclays.co.uk barclays.com barclaycard.co.uk barclaycardus.com "
     "barclays.net barclays.de",
     {}},
    {"Lloyds",
     "lloydsbank",
     "lloydsbank.com lloydsbank.co.uk lloydsbankinggroup.com lloyds.com "
     "lloydsbanking.com",
     {}},
    {"NatWest",
     "natwest",
     "natwest.com natwestgroup.com natwest.co.uk natwestinternational.com",
     {}},
    {"Coinbase",
     "coinbase",
     "coinbase.com coinbase.org coinbase.net coinbase.io "
     "coinbase-staging.com coinbasecloud.net",
     {}},
    {"Binance",
     "binance",
     "binance.com binance.us binance.org binance.info binance.vision "
     "binance.cloud binance.me bnbchain.org binance.net binance.tr",
     {}},
    {"MetaMask", "metamask", "metamask.io metamask.app metamask.dev", {}},
    {"Ledger",
     "ledger,ledgerlive",
     "ledger.com ledgerwallet.com ledger.fr ledgerlive.com",
     {}},
    {"Trezor", "trezor", "trezor.io trezor.com", {}},
    {"MyEtherWallet", "myetherwallet", "myetherwallet.com mewapi.io", {}},
    {"OpenSea", "opensea", "opensea.io seadn.io", {}},
    {"Uniswap", "uniswap", "uniswap.org uniswap.com", {}},
    {"DocuSign",
     "docusign",
     "docusign.com docusign.net docusign.eu docusign.co.uk docusign.de "
     "docusign.fr docusign.ca docusign.com.au",
     {}},
    {"Dropbox",
     "dropbox",
     "dropbox.com dropboxapi.com dropboxstatic.com dropboxusercontent.com "
     "dropbox-dns.com db.tt getdropbox.com dropboxbusiness.com "
     "dropboxexperiment.com dropboxforum.com dropbox.tech dropboxmail.com "
     "dropboxcaptcha.com dropboxpartners.com",
     {}},
    {"Adobe",
     "adobe",
     "adobe.com adobe.io adobe.net adobedc.net adobess.com adobesign.com "
     "adobelogin.com adobecc.com adobe.ly adobedtm.com adobestock.com "
     "typekit.net omtrdc.net demdex.net acrobat.com adobeconnect.com "
     "adobeexchange.com adobe-identity.com adobecces.com adobeoobe.com "
     "adobepass.com adobesc.com adobeprimetime.com adoberesources.net "
     "adobecontent.io adobeccstatic.com adobedccdn.com adobetarget.com "
     "adobecqms.net adobestats.io adobetag.com assetsadobe.com adobe.de "
     "adobe.co.jp",
     {}},
    {"Steam",
     "steamcommunity,steampowered",
     "steamcommunity.com steampowered.com steamstatic.com steamgames.com "
     "steamcontent.com steamusercontent.com steam-chat.com steamserver.net "
     "valvesoftware.com",
     {}},
    {"Roblox",
     "roblox",
     "roblox.com rbxcdn.com roblox.qq.com rbx.com robloxlabs.com",
     {}},
    {"Allegro",
     "allegro,allegrolokalnie",
     "allegro.pl allegrolokalnie.pl allegro.cz allegro.sk allegro.hu "
     "allegrostatic.com allegroimg.com allegro.tech allegro.eu "
     "allegropay.pl allegrosandbox.pl",
     {}},
    {"eBay", "ebay",
     "ebayimg.com ebaystatic.com ebayinc.com ebay-kleinanzeigen.de ebaycdn.net",
     kEbaySuffixes},
    {"Walmart",
     "walmart",
     "walmart.com walmart.ca walmartimages.com wal.co walmart.com.mx "
     "walmartmoneycard.com walmartimages.ca",
     {}},
    {"AT&T",
     "att",
     "att.com att.net attwireless.com sbcglobal.net bellsouth.net "
     "att.tv att.com.mx",
     {}},
    {"Verizon",
     "verizon",
     "verizon.com verizon.net verizonwireless.com vzw.com verizonmedia.com "
     "verizonenterprise.com verizonconnect.com verizonbusiness.com",
     {}},
    {"Comcast/Xfinity",
     "xfinity,comcast",
     "xfinity.com comcast.com comcast.net xfinitymobile.com comcast.org "
     "comcastbusiness.net",
     {}},
    {"Yahoo", "yahoo",
     "yahoodns.net yahooapis.com yahooapis.jp yimg.com yimg.jp "
     "storage-yahoo.jp yahoo.net yahoo-net.jp yahoomail.com ymail.com "
     "rocketmail.com yahoofinance.com aol.com yahooinc.com",
     kYahooSuffixes},
    {"AOL", "aol", "aol.com aol.co.uk aol.de aolcdn.com aim.com", {}},
    {"IRS", "irs", "irs.gov eftps.gov", {}},
    {"Mercado Libre",
     "mercadolibre,mercadolivre,mercadopago",
     "mercadolibre.com mercadolivre.com.br mercadolibre.com.ar "
     "mercadolibre.com.mx mercadolibre.cl mercadolibre.com.co "
     "mercadolibre.com.pe mercadolibre.com.uy mercadolibre.com.ve "
     "mercadopago.com mercadopago.com.br mercadopago.com.ar "
     "mercadopago.com.mx mercadolivre.com mlstatic.com "
     "mercadolibre.com.ec mercadolibre.com.do mercadolibre.co.cr "
     "mercadolibre.com.gt mercadopago.com.co mercadopago.cl "
     "mercadopago.com.pe mercadopago.com.uy",
     {}},
    {"Bradesco",
     "bradesco",
     "bradesco.com.br bradescoseguros.com.br bradescard.com.br "
     "bradesconetempresa.b.br bradescosaude.com.br",
     {}},
    {"Itau",
     "itau",
     "itau.com.br itau.com itau.cl itau.com.py itau.com.uy",
     {}},
    {"Caixa", "caixa", "caixa.gov.br", {}},
    {"Nubank", "nubank", "nubank.com.br nubank.com nu.com.mx", {}},
    {"Correos", "correos", "correos.es correos.com correosexpress.com", {}},
    {"Poste Italiane",
     "posteitaliane,poste",
     "poste.it posteitaliane.it postepay.it",
     {}},
    {"La Poste",
     "laposte",
     "laposte.fr laposte.net lapostegroupe.com labanquepostale.fr "
     "laposte.com",
     {}},
    {"Ameli", "ameli", "ameli.fr", {}},
    {"Swisscom", "swisscom", "swisscom.ch swisscom.com bluewin.ch", {}},
    {"Telstra",
     "telstra",
     "telstra.com.au telstra.com telstra.net bigpond.com bigpond.net.au",
     {}},
    {"Rakuten",
     "rakuten",
     "rakuten.co.jp rakuten.com rakuten.net rakuten.ne.jp rakuten.fr "
     "rakuten.de rakuten-card.co.jp rakuten-bank.co.jp rakuten-sec.co.jp "
     "rakuten.tv rakuten.ca rakuten.jp rakuten-static.com "
     "rakutenadvertising.com rakutenadvertising.io rakuten-sec.net",
     {}},
    {"SMBC",
     "smbc",
     "smbc.co.jp smbc-card.com smbc-finance.co.jp smbc.com smbcnikko.co.jp",
     {}},
    {"Zimbra", "zimbra", "zimbra.com", {}},
    {"Webmail/cPanel",
     "roundcube,cpanel",
     "cpanel.net cpanel.com roundcube.net",
     {}},
    {"Spotify", "spotify", "spotify.com scdn.co spotifycdn.com spoti.fi", {}},
    {"Discord",
     "discord",
     "discord.com discord.gg discordapp.com discordapp.net discord.media "
     "discordcdn.com discord.co",
     {}},
    {"Telegram", "telegram", "telegram.org t.me telegram.me telesco.pe", {}},
};

std::vector<Brand> BuildDefaults() {
  std::vector<Brand> brands;
  brands.reserve(std::size(kRows));
  for (const BrandRow& row : kRows) {
    Brand& brand = brands.emplace_back();
    brand.name = row.name;
    brand.tokens = absl::StrSplit(row.tokens, ',', absl::SkipEmpty());
    brand.domains = absl::StrSplit(row.domains, ' ', absl::SkipWhitespace());
    for (absl::string_view suffix :
         absl::StrSplit(row.extra_suffixes, ' ', absl::SkipWhitespace())) {
      brand.domains.push_back(brand.tokens.front() + "." + std::string(suffix));
    }
  }
  return brands;
}

}  // namespace

const std::vector<Brand>& DefaultBrands() {
  static const std::vector<Brand>* const brands =
      new std::vector<Brand>(BuildDefaults());
  return *brands;
}

const std::vector<std::string>& DefaultInfrastructureDomains() {
  // CDN and DNS providers whose customer host names embed the customer's
  // own domain ("paypal.com.akadns.net"): seen in resolver traffic, never
  // typed or clicked by a person.
  static const std::vector<std::string>* const domains =
      new std::vector<std::string>{
          "akadns.net",
          "akamaiedge.net",
          "edgekey.net",
          "edgesuite.net",
          "akamai.net",
          "akamaihd.net",
          "akamaized.net",
          "akamaitech.net",
          "akagtm.org",
          "akamaiedge-staging.net",
          "trafficmanager.net",
          "azurefd.net",
          "cloudflare.net",
          "fastly.net",
          "fastlylb.net",
          "fastly-edge.com",
          "edgecastcdn.net",
          "llnwd.net",
          "footprint.net",
          "cdngc.net",
          "cdnetworks.net",
          "chinacache.net",
          "wscdns.com",
          "kunlunca.com",
          "alikunlun.com",
          "cdn20.com",
          "pv-cdn.net",
          "impervadns.net",
          "incapdns.net",
          "ultradns.net",
          "dynect.net",
          "nsone.net",
          "awsdns-cn-00.com",
          "amazonaws.com.cn",
          "ntwk.akamaiedge.net",
          // Alibaba Cloud, Kingsoft Cloud and Azion CDNs, DataDome's
          // first-party CNAMEs and the NTP pool's vendor zones
          // ("amazon.pool.ntp.org").
          "cdngslb.com",
          "ks-cdn.com",
          "azionedge.net",
          "azionedge.com",
          "datadome.co",
          "ntp.org",
      };
  return *domains;
}

}  // namespace lureguard::lookalike
