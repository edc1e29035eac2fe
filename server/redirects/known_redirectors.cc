#include <string>
#include <vector>

#include "server/redirects/redirect_resolver.h"

namespace lureguard::redirects {

// Public link shorteners and the redirect hosts of large sites, whose links
// say nothing of where they lead. Compiled by hand from the shorteners
// phishing reports name most and from the sites' documented redirectors;
// subdomains are covered. Review yearly: shorteners come and go.
const std::vector<std::string>& KnownRedirectors() {
  static const std::vector<std::string>* const hosts =
      new std::vector<std::string>{
          // Shorteners.
          "bit.ly",
          "bitly.com",
          "j.mp",
          "tinyurl.com",
          "t.ly",
          "is.gd",
          "v.gd",
          "ow.ly",
          "buff.ly",
          "rebrand.ly",
          "cutt.ly",
          "shorturl.at",
          "rb.gy",
          "tiny.cc",
          "bit.do",
          "s.id",
          "qrco.de",
          "t2m.io",
          "shorte.st",
          "adf.ly",
          "bl.ink",
          "short.io",
          "tiny.one",
          "u.to",
          "clck.ru",
          "goo.su",
          "surl.li",
          "shorturl.asia",
          "gg.gg",
          "x.gd",
          "urlz.fr",
          "lnk.bio",
          "linktr.ee",
          "tr.ee",
          "2u.pw",
          "1url.com",
          "snip.ly",
          "soo.gd",
          "tny.im",
          "shrtco.de",
          // Redirect hosts of large sites.
          "t.co",
          "lnkd.in",
          "l.facebook.com",
          "lm.facebook.com",
          "l.instagram.com",
          "youtu.be",
          "amzn.to",
          "a.co",
          "aka.ms",
          "go.microsoft.com",
          "t.me",
          "wa.me",
          "forms.gle",
          "goo.gl",
          "page.link",
          "app.link",
          "sendgrid.net",
          "mailchi.mp",
          "list-manage.com",
          "r20.rs6.net",
          "click.convertkit-mail.com",
          "hubspotlinks.com",
          "mjt.lu",
          "sendibt3.com",
          "email.mg1.substack.com",
      };
  return *hosts;
}

}  // namespace lureguard::redirects
