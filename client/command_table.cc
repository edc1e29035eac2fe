#include "client/command_table.h"

#include <string>

#include "absl/strings/str_replace.h"

namespace lureguard::cli {
namespace {

using lureguard::v1::ListType;

constexpr absl::string_view kGlobalHelp =
    R"(lureguard - phishing verdicts and list administration for a Lureguard server.

Usage:
  lureguard <command> [args] [flags]

Commands:
  check url URL... | -           Check URLs given as arguments, or one per line on stdin
  check mail FILE|-              Judge a whole mail message: sender, attachments, links
  blocklist add|rm|ls|import     Manage block-list entries
  allowlist add|rm|ls|import     Manage allow-list entries
  feeds add|ls|rm|refresh|status Manage list feeds fetched on a schedule
  brands add|rm|ls|import        Manage the brands protected from lookalikes
  keys create|ls|revoke          Manage API keys
  audit ls                       Show the audit log of admin changes
  login check|report|counters    Judge login attempts, report outcomes, read counters
  passwords import|status        Manage the breached-password store
  cert probe HOST[:PORT]         Probe a host's TLS certificate and show its facts
  ct add|ls|rm|status            Manage the certificate-transparency logs monitored
  alerts ls|ack|watch            Certificate-transparency alerts on brand lookalikes
  beacons ls|rm                  Hosts the login-page beacon saw serving a login page
  links rewrite|unwrap           Rewrite a mail's links to click URLs; unwrap a URL
  clicks ls                      Show recorded clicks on rewritten links
  status                         Show server version, snapshot and list sizes
  health                         Check gRPC health; exit 0 only when SERVING
  help [COMMAND]                 Show help for a command

Global flags (before or after the command):
  --server HOST:PORT    Server address (env LUREGUARD_ADDR; default 127.0.0.1:50051)
  --token TOKEN         API key, sent as "authorization: Bearer TOKEN" (env
                        LUREGUARD_TOKEN; default: the contents of ./var/admin.token
                        when that file exists)
  -o, --output FORMAT   table (default) or json: proto3 JSON, one object per line
  --fail-on LEVEL       warn: exit 3 on WARN or CHALLENGE, 4 on BLOCK verdicts;
                        block: exit 4 on BLOCK verdicts
  --timeout DUR         Deadline per call (default 10s; streaming calls: none)
  --tls                 Connect with TLS, verifying the server against the
                        system roots (env LUREGUARD_TLS=1)
  --ca FILE             Verify the server against this CA bundle (PEM); implies
                        --tls (env LUREGUARD_CA)
  --cert FILE, --key FILE
                        Client certificate and key (PEM) for mTLS; a key whose
                        client subject is the certificate's CN then needs no
                        --token (env LUREGUARD_CERT, LUREGUARD_KEY)
  -h, --help            Show help

Exit codes:
  0  success
  1  usage error or local error (e.g. unreadable file)
  2  server error, or a URL could not be checked
  3  a WARN or CHALLENGE verdict (with --fail-on warn)
  4  a BLOCK verdict (with --fail-on warn or block)
  When several apply, the highest wins.

Examples:
  lureguard check url https://paypa1.com/login
  lureguard check url --fail-on block http://a.example/ http://b.example/
  lureguard check url - < urls.txt
  lureguard blocklist add evil.example --reason "phishing kit" --ttl 7d
  lureguard blocklist ls -o json
  lureguard status --server 127.0.0.1:50051

Run 'lureguard help COMMAND' or 'lureguard COMMAND --help' for details.
)";

const CommandHelp kCheckUrlHelp = {
    .usage =
        "lureguard check url URL... [flags]\n"
        "lureguard check url - [flags]",
    .summary = "Check URLs given as arguments, or one per line on stdin",
    .description =
        R"(Checks URLs and prints one verdict per URL. One URL is one CheckUrl call;
several are sent in batches of 1000 (CheckUrls); "-" reads one URL per line
from stdin and streams them (StreamCheckUrls), printing each verdict as it
arrives, in input order. Blank lines are skipped. A URL the server cannot
check is reported on stderr and makes the exit code 2; the others still
print. Table columns: ACTION THREAT SCORE HOST URL REASONS. -o json prints one
CheckUrlResponse per line.

Over the key's rate limit, a call is retried after the wait the server asks
for, within --timeout (default 10s); a stream is paced by the server to the
key's rate. URLs a batch answer had no room for (limits.max_message_bytes)
are sent again in the next batch.)",
    .flags = "--tenant T   Apply tenant T's lists and brands too",
    .examples =
        R"(lureguard check url https://paypa1.com/login
lureguard check url --fail-on warn http://a.example/ http://b.example/
lureguard check url -o json http://evil.example/ | jq -r .verdict.action
grep -v '^#' urls.txt | lureguard check url -)",
};

const CommandHelp kCheckMailHelp = {
    .usage = "lureguard check mail FILE|- [flags]",
    .summary = "Judge a whole mail message: sender, attachments, links",
    .description =
        R"(Sends an RFC 5322 message (a .eml file, or stdin with "-") to CheckMessage
and prints the message verdict: the action, the score and the sender, then
one row per reason (REASON WEIGHT PART BRAND DETAIL), where PART is the MIME
part (with the attachment's file name) or the header it came from. Nothing
is stored and no link is rewritten. Notes about what could not be read go
to stderr. -o json prints the CheckMessageResponse (the verdict, every part
with its findings, every link, the sender) as one JSON object.)",
    .flags = R"(--tenant T        Apply tenant T's data and mail policy
--sender S        The envelope sender (MAIL FROM), judged like From
--recipient R     An envelope recipient (repeatable): a page pre-filled
                  with it is a lure made for that person)",
    .examples =
        R"(lureguard check mail suspicious.eml
lureguard check mail --fail-on block - < incoming.eml
lureguard check mail -o json quote.eml | jq -r '.verdict.reasons[].code')",
};

// Help templates for both lists; $LIST is "blocklist" or "allowlist",
// $NOUN "block list" or "allow list".
const CommandHelp kListAddHelp = {
    .usage = "lureguard $LIST add ENTRY [flags]",
    .summary = "Add an entry to the $NOUN",
    .description =
        R"(Adds ENTRY to the $NOUN: a host, domain, URL, host/path prefix, IP address
or CIDR range. The server normalizes it and infers the kind when --kind is
not given. Adding an entry that exists refreshes its reason and expiry.
Prints the stored entry.)",
    .flags =
        R"(--kind KIND     host, domain (and subdomains), url-prefix, url (exact) or cidr
--reason TEXT   Why it is listed; shown in verdicts
--threat T      What it lists: phishing (default), malware or unwanted; a
                block-list match gives the verdict this threat type
--ttl DUR       Expire after DUR (90s, 30m, 24h, 7d, 1h30m); default never
--tenant T      Only for tenant T; default every tenant)",
    .examples =
        R"(lureguard $LIST add evil.example --reason "credential phishing kit"
lureguard $LIST add dropper.example --threat malware
lureguard $LIST add login.evil.example --kind host --ttl 7d
lureguard $LIST add http://evil.example/secure/ --kind url-prefix
lureguard $LIST add 203.0.113.0/24 --kind cidr --tenant acme)",
};

const CommandHelp kListRmHelp = {
    .usage = "lureguard $LIST rm ENTRY [flags]",
    .summary = "Remove entries from the $NOUN",
    .description =
        R"(Removes the admin entries of the $NOUN whose value is ENTRY (normalized as
on add), of any kind unless --kind is given. Exits 2 with NOT_FOUND when
nothing matched.)",
    .flags =
        R"(--kind KIND   Only entries of this kind: host, domain, url-prefix, url, cidr
--tenant T    Entries of tenant T; default the global entries)",
    .examples = R"(lureguard $LIST rm evil.example
lureguard $LIST rm 203.0.113.0/24 --kind cidr --tenant acme)",
};

const CommandHelp kListLsHelp = {
    .usage = "lureguard $LIST ls [flags]",
    .summary = "List the entries of the $NOUN",
    .description =
        R"(Lists the entries of the $NOUN, oldest first, fetching every page and
printing each page as it arrives. Table columns: ID KIND THREAT VALUE TENANT
SOURCE EXPIRES REASON. -o json prints one ListEntry per line.)",
    .flags =
        R"(--tenant T      Entries of tenant T; default the global entries
--page-size N   Entries per call, 1 to 1000; default the server's (100)
--all           Fetch every page (the default; accepted for scripts))",
    .examples = R"(lureguard $LIST ls
lureguard $LIST ls --tenant acme -o json | jq -r .value)",
};

const CommandHelp kListImportHelp = {
    .usage = "lureguard $LIST import FILE|- [flags]",
    .summary = "Import many entries from a file or stdin",
    .description =
        R"(Imports entries into the $NOUN from FILE ("-" reads stdin), streamed to
the server in 1 MiB chunks. The import is atomic: an invalid line rejects
all of it, naming the line, unless --skip-invalid is given. Prints the
format used and how many entries were accepted, duplicated and skipped,
with the first skipped lines. Progress goes to stderr when it is a terminal
and the import takes more than a second.)",
    .flags =
        R"(--format F      auto (default: detected from the content), entries, domains,
                hosts, urls, or another format the server knows
--reason TEXT   Reason recorded on every entry
--threat T      phishing, malware or unwanted for every entry; default the
                format's (malware for urlhaus-csv, else phishing)
--ttl DUR       Expiry of every entry (e.g. 30d); default never
--skip-invalid  Skip and report invalid lines instead of rejecting the import
--tenant T      Tenant of every entry; default every tenant)",
    .examples =
        R"(lureguard $LIST import domains.txt --format domains --reason "feed snapshot"
lureguard $LIST import - --format urls --skip-invalid < urls.txt)",
};

const CommandHelp kStatusHelp = {
    .usage = "lureguard status [flags]",
    .summary = "Show server version, snapshot and list sizes",
    .description =
        R"(Shows the server's version, whether it serves verdicts, uptime, store,
snapshot revision and time, and list sizes as "key: value" lines. -o json
prints one GetStatusResponse object.)",
    .flags = "",
    .examples = R"(lureguard status
lureguard status -o json)",
};

const CommandHelp kCertProbeHelp = {
    .usage = "lureguard cert probe HOST[:PORT] [flags]",
    .summary = "Probe a host's TLS certificate and show its facts",
    .description =
        R"(Has the server connect to HOST (port 443 unless given), complete a TLS
handshake and report the certificate: names (CN, SANs), issuer and whether
it is a free DV CA, validity dates, age, self-signed, chain verification
against the server's trust store, hostname match, and the CERT_* reasons
these facts give a URL on that host. The result also refreshes the server's
certificate cache. The server's SSRF guard applies: loopback and private
addresses are refused (FAILED_PRECONDITION) unless it runs with
--allow_private_targets. Needs an admin key. -o json prints one
ProbeCertificateResponse object.)",
    .flags = "",
    .examples = R"(lureguard cert probe paypa1-login.com
lureguard cert probe 203.0.113.7:8443
lureguard cert probe '[2001:db8::7]:443' -o json | jq .certificate.dnsNames)",
};

const CommandHelp kHealthHelp = {
    .usage = "lureguard health [flags]",
    .summary = "Check gRPC health; exit 0 only when SERVING",
    .description =
        R"(Calls the standard gRPC health check (grpc.health.v1.Health/Check) and
prints SERVING, NOT_SERVING or UNKNOWN. Exits 0 only when SERVING and 2
otherwise, so it serves as a container or systemd health probe.)",
    .flags =
        "--service NAME   Check one service; default the server as a whole",
    .examples = R"(lureguard health
lureguard health --server 127.0.0.1:50051 --timeout 2s)",
};

const CommandHelp kFeedsAddHelp = {
    .usage =
        "lureguard feeds add NAME --url URL [--format F] [--threat T] "
        "[--interval DUR]",
    .summary = "Add or reconfigure a list feed and fetch it now",
    .description =
        R"(Adds the feed NAME (or replaces its configuration) and fetches it right
away, so its entries answer checks when the command returns. The server
then refreshes it every --interval; a failed refresh keeps the previous
entries and retries with backoff. Entries get the source "feed:NAME".
Exits 2 when the first fetch failed (the feed stays configured).)",
    .flags =
        R"(--url URL        http or https URL of the list (required)
--format F       auto (default), domains, hosts, urls, entries, phishtank-csv,
                 phishtank-json, urlhaus-csv, adblock
--interval DUR   Time between refreshes: 1m to 168h (default 1h)
--list L         block (default) or allow
--threat T       What its entries list: phishing, malware or unwanted;
                 default the format's: malware for urlhaus-csv, else phishing
--disabled       Configure but do not fetch
--tenant T       Entries apply to tenant T only)",
    .examples =
        R"(lureguard feeds add openphish --url https://openphish.com/feed.txt --format urls
lureguard feeds add urlhaus --url https://urlhaus.abuse.ch/downloads/csv_online/ --format urlhaus-csv --interval 30m)",
};

const CommandHelp kFeedsLsHelp = {
    .usage = "lureguard feeds ls",
    .summary = "List feeds with their last result",
    .description = R"(Lists every feed: name, format, threat type, entries,
last success, next run, last error and URL. -o json prints one Feed per
line.)",
    .flags = "",
    .examples = "lureguard feeds ls\nlureguard feeds ls -o json",
};

const CommandHelp kFeedsRmHelp = {
    .usage = "lureguard feeds rm NAME [--tenant T]",
    .summary = "Remove a feed and exactly its entries",
    .description = "Removes the feed and every entry it brought, at once.",
    .flags = "--tenant T   The feed's tenant; default a global feed",
    .examples = "lureguard feeds rm openphish",
};

const CommandHelp kFeedsRefreshHelp = {
    .usage = "lureguard feeds refresh NAME [--tenant T]",
    .summary = "Fetch a feed now",
    .description = R"(Fetches the feed now and prints its new state. Exits 2
when the fetch failed; the previous entries stay.)",
    .flags = "--tenant T   The feed's tenant; default a global feed",
    .examples = "lureguard feeds refresh openphish",
};

const CommandHelp kFeedsStatusHelp = {
    .usage = "lureguard feeds status",
    .summary = "Show every feed's refresh status in detail",
    .description = R"(Shows each feed's configuration, entry count, last
attempt, last success, last error, failures in a row and next run as
"key: value" blocks.)",
    .flags = "",
    .examples = "lureguard feeds status",
};

const CommandHelp kBrandsAddHelp = {
    .usage =
        "lureguard brands add NAME --domain D [--domain D...] "
        "[--token-word W...] [--domains-from-certificate HOST[:PORT]]",
    .summary = "Protect a brand from lookalike domains",
    .description =
        R"(Protects brand NAME (or replaces it): hosts that imitate its domains or
its token words (homoglyphs, typos, combosquatting, target embedding, TLD
swaps, IDN homographs) get LOOKALIKE_* reasons in their verdicts. Give
every registrable domain the brand owns; hosts under them never match.
Token words default to the domains' labels.

With --domains-from-certificate, the server probes the brand's own HOST
(port 443 unless given) and also protects the domains its certificate
names that are the brand's label under other suffixes (airbnb.fr and
airbnb.co.uk on the certificate of www.airbnb.com): a trusted, valid
certificate for HOST is required, and nothing is stored without one.)",
    .flags =
        R"(--domain D       A registrable domain the brand owns (repeatable, required)
--token-word W   A word that names the brand in hosts (repeatable)
--domains-from-certificate HOST[:PORT]
                 Also protect the brand's label under the other suffixes
                 that HOST's certificate names
--tenant T       Protect it for tenant T only)",
    .examples =
        R"(lureguard brands add Acme --domain acme.com --domain acme.co.uk
lureguard brands add "Haier Biomedical" --domain haiermedical.com --token-word haier
lureguard brands add Airbnb --domain airbnb.com --domains-from-certificate www.airbnb.com)",
};

const CommandHelp kBrandsRmHelp = {
    .usage = "lureguard brands rm NAME [--tenant T]",
    .summary = "Stop protecting a brand",
    .description = "Removes the brand; a default brand removed stays removed.",
    .flags = "--tenant T   The brand's tenant; default a global brand",
    .examples = "lureguard brands rm Acme",
};

const CommandHelp kBrandsLsHelp = {
    .usage = "lureguard brands ls",
    .summary = "List protected brands",
    .description =
        "Lists every protected brand with its tokens and domains. -o json "
        "prints one Brand per line.",
    .flags = "",
    .examples = "lureguard brands ls\nlureguard brands ls -o json",
};

const CommandHelp kBrandsImportHelp = {
    .usage =
        "lureguard brands import FILE|- [--format brands|ranked-domains] "
        "[--top N]",
    .summary = "Protect many brands from a file",
    .description =
        R"(Imports brands, all or nothing. Format "brands" (default): one brand per
line, tab-separated NAME, TOKENS (comma-separated), DOMAINS
(comma-separated) and optionally TENANT. Format "ranked-domains": a ranked
domain list ("domain" or "rank,domain" per line); the first --top N
domains each become a brand.)",
    .flags =
        R"(--format F   brands (default) or ranked-domains
--top N      With ranked-domains: protect only the first N)",
    .examples =
        R"(lureguard brands import brands.tsv
lureguard brands import top-1m.csv --format ranked-domains --top 10000)",
};

const CommandHelp kKeysCreateHelp = {
    .usage =
        "lureguard keys create NAME --role verdict|admin|readonly-admin "
        "[--tenant T] [--client-subject CN]",
    .summary = "Create an API key and print its token once",
    .description =
        R"(Creates API key NAME and prints its token on stdout; it is shown only
this once (the server keeps a salted hash). Roles: verdict (URL checks),
admin (everything), readonly-admin (lists and status). --tenant binds a
verdict key's checks to one tenant. --client-subject lets a client
certificate with that common name (CN), verified by the server's client CA,
act as this key over mTLS without a token.)",
    .flags =
        R"(--role R              verdict, admin or readonly-admin (required)
--tenant T            Bind a verdict key to tenant T
--client-subject CN   Map a client certificate's CN to this key (mTLS))",
    .examples =
        R"(lureguard keys create gateway --role verdict
lureguard keys create acme-proxy --role verdict --tenant acme
lureguard keys create mail-gw --role verdict --client-subject mail-gw.internal)",
};

const CommandHelp kKeysLsHelp = {
    .usage = "lureguard keys ls",
    .summary = "List API keys (never their tokens)",
    .description =
        "Lists every key: name, role, tenant, key id, creation, client "
        "certificate subject.",
    .flags = "",
    .examples = "lureguard keys ls",
};

const CommandHelp kKeysRevokeHelp = {
    .usage = "lureguard keys revoke NAME",
    .summary = "Revoke an API key",
    .description = "Revokes the key; calls with it fail from now on.",
    .flags = "",
    .examples = "lureguard keys revoke gateway",
};

const CommandHelp kLoginCheckHelp = {
    .usage =
        "lureguard login check --user U --ip IP [--origin URL] [--referer URL] "
        "[--user-agent UA] [flags]",
    .summary = "Judge one login attempt (LoginService.CheckLogin)",
    .description =
        R"(Asks for the verdict an identity provider would get for a login attempt:
ALLOW, CHALLENGE (step-up MFA) or BLOCK, with the reasons (LOGIN_*), the
retry-after time when throttled and the failure counters read. Counts
nothing: use 'login report' for outcomes. With --fail-on warn, CHALLENGE
exits 3 and BLOCK 4.)",
    .flags =
        R"(--user U               Username (hashed by the server; required)
--ip IP                 Client IP (required)
--origin URL            The login form's Origin header
--referer URL           The login request's Referer header
--user-agent UA         The User-Agent header
--host HOST             The host the login request was addressed to
--forwarded-for IP      An X-Forwarded-For hop (repeatable)
--tls-fingerprint FP    The client's JA3/JA4 fingerprint
--password-sha1 HEX     SHA-1 of the password, checked against breaches
--tenant T              The identity provider's tenant)",
    .examples =
        R"(lureguard login check --user alice --ip 203.0.113.9 --origin https://login.acme.com
lureguard login check --user alice --ip 203.0.113.9 --referer https://acme-login.example/ -o json)",
};

const CommandHelp kLoginReportHelp = {
    .usage =
        "lureguard login report --user U --ip IP --result success|failure "
        "[--tenant T]",
    .summary = "Report how a login attempt ended",
    .description =
        R"(Feeds the failure counters (ReportLoginOutcome). A success resets the
user's own counters; a failure counts against the user, the IP and the
pair. --result also takes bad-password (= failure), mfa-failed and locked.
Prints the counters it touched.)",
    .flags =
        R"(--user U          Username (required)
--ip IP           Client IP (required)
--result R        success, failure, bad-password, mfa-failed or locked
--tenant T        The identity provider's tenant)",
    .examples =
        R"(lureguard login report --user alice --ip 203.0.113.9 --result failure
lureguard login report --user alice --ip 203.0.113.9 --result success)",
};

const CommandHelp kLoginCountersHelp = {
    .usage = "lureguard login counters --ip IP | --user U [--tenant T]",
    .summary = "Show the failure counters of an IP or a user",
    .description =
        R"(Shows the sliding-window counters kept for one IP or one username:
COUNTER COUNT THRESHOLD WINDOW EVICTED. EVICTED says the counter may have
been dropped under memory pressure, so its count may be low.)",
    .flags = R"(--ip IP      The client IP
--user U     The username
--tenant T   The identity provider's tenant)",
    .examples = R"(lureguard login counters --ip 203.0.113.9
lureguard login counters --user alice -o json)",
};

const CommandHelp kPasswordsImportHelp = {
    .usage = "lureguard passwords import FILE|- [--prefix P]",
    .summary = "Merge breached-password hashes into the store",
    .description =
        R"(Streams a Pwned Passwords file to the server, which merges it into its
memory-mapped breached-password store and swaps the new store in. Lines
are "SHA1:COUNT" (40 hex digits), or "SUFFIX:COUNT" (35 hex digits) in a
per-prefix file: the prefix is taken from a file named like 21BD1.txt or
from --prefix. A bad line rejects the import, naming it.)",
    .flags = "--prefix P   The 5-hex prefix of a per-prefix file",
    .examples = R"(lureguard passwords import pwnedpasswords.txt
lureguard passwords import 21BD1.txt
curl -s https://api.pwnedpasswords.com/range/21BD1 | lureguard passwords import - --prefix 21BD1)",
};

const CommandHelp kPasswordsStatusHelp = {
    .usage = "lureguard passwords status",
    .summary = "Show the breached-password store",
    .description =
        "Shows the store's path, hash count, file size and update time.",
    .flags = "",
    .examples = "lureguard passwords status",
};

const CommandHelp kAuditLsHelp = {
    .usage = "lureguard audit ls [--limit N] [--actor KEY] [--method M]",
    .summary = "Show the audit log of admin changes, newest first",
    .description =
        R"(Lists audit records: when, which key (and role), which method, the
target, its tenant, and a summary before and after the change. Every
successful admin change writes one, in the same transaction as the change.
Needs an admin or readonly-admin key.)",
    .flags =
        R"(--limit N     At most N records (default 100)
--actor KEY   Only changes made with this key
--method M    Only this method, e.g. CreateListEntry)",
    .examples =
        R"(lureguard audit ls
lureguard audit ls --limit 20 --actor admin
lureguard audit ls --method RevokeApiKey -o json)",
};

const CommandHelp kCtAddHelp = {
    .usage =
        "lureguard ct add NAME --url URL --api rfc6962|static "
        "[--interval DUR] [--start N]",
    .summary = "Monitor a certificate-transparency log",
    .description =
        R"(Monitors the CT log NAME (or reconfigures it). Every certificate logged
from now on (from index N with --start) has its names checked against the
protected brands; a lookalike becomes an alert (`lureguard alerts ls`) and
flags its host in verdicts at once. --api rfc6962 reads ct/v1/get-sth and
get-entries below URL; --api static reads a Static CT log's checkpoint and
data tiles (Let's Encrypt logs only to these). The server reads the log's
tree head now, so a wrong URL or API fails here.)",
    .flags =
        R"(--url URL        The log's URL prefix (required)
--api API        rfc6962 or static (required)
--interval DUR   Time between polls once caught up: 1s to 24h (default 1m)
--start N        Start at index N (0: the whole log); default the current size)",
    .examples =
        R"(lureguard ct add argon2025h2 --url https://ct.googleapis.com/logs/us1/argon2025h2/ --api rfc6962
lureguard ct add sycamore2025h2b --url https://log.sycamore.ct.letsencrypt.org/2025h2b/ --api static)",
};

const CommandHelp kCtLsHelp = {
    .usage = "lureguard ct ls",
    .summary = "List monitored CT logs",
    .description = R"(Lists every monitored log: name, API, cursor, tree size,
alerts, last success, last error and URL. -o json prints one CtLog per line.)",
    .flags = "",
    .examples = "lureguard ct ls\nlureguard ct ls -o json",
};

const CommandHelp kCtRmHelp = {
    .usage = "lureguard ct rm NAME",
    .summary = "Stop monitoring a CT log",
    .description = "Stops monitoring the log; its alerts stay.",
    .flags = "",
    .examples = "lureguard ct rm argon2025h2",
};

const CommandHelp kCtStatusHelp = {
    .usage = "lureguard ct status",
    .summary = "Show every CT log's reading progress in detail",
    .description = R"(Shows each log's tree size, cursor, how far behind it is,
entries read and entries per second of the last poll, alerts, skipped
malformed entries, last error and next poll as "key: value" blocks.)",
    .flags = "",
    .examples = "lureguard ct status",
};

const CommandHelp kAlertsLsHelp = {
    .usage = "lureguard alerts ls [--all] [--page-size N]",
    .summary = "List certificate-transparency alerts",
    .description =
        R"(Lists the alerts not acknowledged yet (every alert with --all), oldest
first: a certificate logged in CT whose name imitates a protected brand.
Table columns: ID CREATED BRAND TECHNIQUE NAME ISSUER LOG ACKED (LOG is
name#index). -o json prints one Alert per line.)",
    .flags = R"(--all           Include acknowledged alerts
--page-size N   Alerts per call, 1 to 1000)",
    .examples = "lureguard alerts ls\nlureguard alerts ls --all -o json",
};

const CommandHelp kAlertsAckHelp = {
    .usage = "lureguard alerts ack ID",
    .summary = "Acknowledge an alert",
    .description =
        R"(Marks alert ID as seen; `alerts ls` stops showing it. Its host stays
flagged in verdicts for the alert window; add the host to the allow list to
clear a false positive.)",
    .flags = "",
    .examples = "lureguard alerts ack 42",
};

const CommandHelp kAlertsWatchHelp = {
    .usage = "lureguard alerts watch [--after ID]",
    .summary = "Print alerts as they are stored",
    .description =
        R"(Streams new alerts until interrupted (or until --timeout, which then
exits 0). --after ID first prints the stored alerts after ID.)",
    .flags = "--after ID   Start after alert ID (0: every stored alert)",
    .examples = R"(lureguard alerts watch
lureguard alerts watch -o json | jq -r .name)",
};

const CommandHelp kBeaconsLsHelp = {
    .usage = "lureguard beacons ls [--tenant T] [--page-size N]",
    .summary = "List the hosts the login-page beacon flagged",
    .description =
        R"(Lists the unexpired beacon flags, ordered by tenant and host: hosts
whose pages loaded a tenant's login beacon (GET /b/{tenant}/{id}.gif) with
a Referer that is not one of the tenant's login origins. Alone a flag makes
logins through the host CHALLENGE; BLOCK needs the host to be listed, a
lookalike or named by a CT alert too. Table columns: TENANT HOST BRAND
TECHNIQUE HITS FIRST SEEN LAST SEEN EXPIRES. -o json prints one BeaconFlag
per line.)",
    .flags = R"(--tenant T      Only tenant T's flags ("" for the global tenant)
--page-size N   Flags per call, 1 to 1000)",
    .examples =
        "lureguard beacons ls\nlureguard beacons ls --tenant acme -o json",
};

const CommandHelp kBeaconsRmHelp = {
    .usage = "lureguard beacons rm HOST [--tenant T]",
    .summary = "Clear a beacon flag",
    .description =
        R"(Clears the flag of HOST for tenant T (default: the global tenant) at
once; the change is in the audit log (`lureguard audit ls`). The host is
flagged again if the beacon sees it again; add it to the allow list to
trust it for good. Exit 2 (NOT_FOUND) when there is no such flag.)",
    .flags = "--tenant T   The flag's tenant",
    .examples = "lureguard beacons rm login.partner.example --tenant acme",
};

const CommandHelp kLinksRewriteHelp = {
    .usage =
        "lureguard links rewrite FILE|- [--tenant T] [--recipient R] "
        "[--html|--text]",
    .summary = "Rewrite a mail's links to signed click URLs",
    .description =
        R"(Sends an RFC 5322 message (or, with --html or --text, a single body)
to RewriteMessage and prints the rewritten message on stdout, byte for byte.
Per-link results go to stderr: a table (PART WHERE ACTION WRAPPERS URL
RESULT), or with -o json one RewrittenLink object per line; for a whole
message, a last line gives the message verdict (as 'check mail' does). With
--fail-on, the exit code follows the worst of the link verdicts and the
message verdict.)",
    .flags = R"(--tenant T         Tenant whose policy applies
--recipient R      The recipient (hashed by the server into the click tokens)
--sender S         The envelope sender, judged with From
--message-id ID    The Message-ID (logs only)
--html             FILE is a single text/html body
--text             FILE is a single text/plain body)",
    .examples = R"(lureguard links rewrite mail.eml > rewritten.eml
lureguard links rewrite - --recipient alice@acme.example -o json < mail.eml
lureguard links rewrite --html body.html --fail-on block)",
};

const CommandHelp kLinksUnwrapHelp = {
    .usage = "lureguard links unwrap URL [--tenant T]",
    .summary = "Unwrap a link and judge the URL inside",
    .description =
        R"(Peels Safe Links, Proofpoint URL Defense (v1-v3), Google redirect and
Lureguard click URLs off URL (UnwrapUrl) and shows the innermost URL, the
wrappers peeled (outermost first) and the verdict on the innermost URL.)",
    .flags = "--tenant T   Tenant whose data the verdict uses",
    .examples =
        R"(lureguard links unwrap 'https://nam02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fpaypa1.com%2F&data=x'
lureguard links unwrap 'https://www.google.com/url?q=https://example.com/' -o json)",
};

const CommandHelp kClicksLsHelp = {
    .usage = "lureguard clicks ls [--limit N] [--tenant T]",
    .summary = "Show confirmed clicks on rewritten links, newest first",
    .description =
        R"(Lists the clicks people confirmed on click pages (the "continue" POST;
a page merely shown is never a click): time, tenant, the opaque recipient
id, what the endpoint did (REDIRECT, or the page when continuing was
refused), the verdict at click time and the URL. Needs an admin or
readonly-admin key.)",
    .flags = R"(--limit N    At most N clicks (default 100)
--tenant T   Only this tenant's clicks)",
    .examples = R"(lureguard clicks ls
lureguard clicks ls --limit 20 -o json)",
};

const CommandHelp kHelpHelp = {
    .usage = "lureguard help [COMMAND...]",
    .summary = "Show help for a command",
    .description = "Shows help for a command or a group of commands.",
    .flags = "",
    .examples = R"(lureguard help
lureguard help blocklist import)",
};

CommandHelp ForList(const CommandHelp& help, ListType list) {
  const bool block = list == lureguard::v1::BLOCKLIST;
  const std::vector<std::pair<absl::string_view, absl::string_view>> vars = {
      {"$LIST", block ? "blocklist" : "allowlist"},
      {"$NOUN", block ? "block list" : "allow list"}};
  return {absl::StrReplaceAll(help.usage, vars),
          absl::StrReplaceAll(help.summary, vars),
          absl::StrReplaceAll(help.description, vars),
          absl::StrReplaceAll(help.flags, vars),
          absl::StrReplaceAll(help.examples, vars)};
}

CommandTable BuildTable() {
  CommandTable t;
  auto add = [&t](CommandSpec spec, CommandHelp help,
                  std::function<int(const CommandContext&)> run) {
    t.specs.push_back(std::move(spec));
    t.help.push_back(std::move(help));
    t.run.push_back(std::move(run));
  };
  add({.path = {"check", "url"},
       .flags = {{.name = "tenant"}},
       .min_args = 1,
       .max_args = -1},
      kCheckUrlHelp, RunCheckUrl);
  add({.path = {"check", "mail"},
       .flags = {{.name = "tenant"}, {.name = "sender"}, {.name = "recipient"}},
       .min_args = 1,
       .max_args = 1},
      kCheckMailHelp, RunCheckMail);
  for (ListType list : {lureguard::v1::BLOCKLIST, lureguard::v1::ALLOWLIST}) {
    const absl::string_view noun =
        list == lureguard::v1::BLOCKLIST ? "blocklist" : "allowlist";
    add({.path = {noun, "add"},
         .flags = {{.name = "kind"},
                   {.name = "reason"},
                   {.name = "threat"},
                   {.name = "ttl"},
                   {.name = "tenant"}},
         .min_args = 1,
         .max_args = 1},
        ForList(kListAddHelp, list),
        [list](const CommandContext& ctx) { return RunListAdd(ctx, list); });
    add({.path = {noun, "rm"},
         .flags = {{.name = "kind"}, {.name = "tenant"}},
         .min_args = 1,
         .max_args = 1},
        ForList(kListRmHelp, list),
        [list](const CommandContext& ctx) { return RunListRm(ctx, list); });
    add({.path = {noun, "ls"},
         .flags = {{.name = "tenant"},
                   {.name = "page-size"},
                   {.name = "all", .takes_value = false}},
         .min_args = 0,
         .max_args = 0},
        ForList(kListLsHelp, list),
        [list](const CommandContext& ctx) { return RunListLs(ctx, list); });
    add({.path = {noun, "import"},
         .flags = {{.name = "format"},
                   {.name = "reason"},
                   {.name = "threat"},
                   {.name = "ttl"},
                   {.name = "skip-invalid", .takes_value = false},
                   {.name = "tenant"}},
         .min_args = 1,
         .max_args = 1},
        ForList(kListImportHelp, list),
        [list](const CommandContext& ctx) { return RunListImport(ctx, list); });
  }
  add({.path = {"brands", "add"},
       .flags = {{.name = "domain"},
                 {.name = "token-word"},
                 {.name = "domains-from-certificate"},
                 {.name = "tenant"}},
       .min_args = 1,
       .max_args = 1},
      kBrandsAddHelp, RunBrandsAdd);
  add({.path = {"brands", "rm"},
       .flags = {{.name = "tenant"}},
       .min_args = 1,
       .max_args = 1},
      kBrandsRmHelp, RunBrandsRm);
  add({.path = {"brands", "ls"}}, kBrandsLsHelp, RunBrandsLs);
  add({.path = {"brands", "import"},
       .flags = {{.name = "format"}, {.name = "top"}},
       .min_args = 1,
       .max_args = 1},
      kBrandsImportHelp, RunBrandsImport);
  add({.path = {"keys", "create"},
       .flags = {{.name = "role"},
                 {.name = "tenant"},
                 {.name = "client-subject"}},
       .min_args = 1,
       .max_args = 1},
      kKeysCreateHelp, RunKeysCreate);
  add({.path = {"keys", "ls"}}, kKeysLsHelp, RunKeysLs);
  add({.path = {"audit", "ls"},
       .flags = {{.name = "limit"}, {.name = "actor"}, {.name = "method"}}},
      kAuditLsHelp, RunAuditLs);
  add({.path = {"links", "rewrite"},
       .flags = {{.name = "tenant"},
                 {.name = "recipient"},
                 {.name = "sender"},
                 {.name = "message-id"},
                 {.name = "html", .takes_value = false},
                 {.name = "text", .takes_value = false}},
       .min_args = 1,
       .max_args = 1},
      kLinksRewriteHelp, RunLinksRewrite);
  add({.path = {"links", "unwrap"},
       .flags = {{.name = "tenant"}},
       .min_args = 1,
       .max_args = 1},
      kLinksUnwrapHelp, RunLinksUnwrap);
  add({.path = {"clicks", "ls"},
       .flags = {{.name = "limit"}, {.name = "tenant"}}},
      kClicksLsHelp, RunClicksLs);
  add({.path = {"keys", "revoke"}, .min_args = 1, .max_args = 1},
      kKeysRevokeHelp, RunKeysRevoke);
  add({.path = {"feeds", "add"},
       .flags = {{.name = "url"},
                 {.name = "format"},
                 {.name = "interval"},
                 {.name = "list"},
                 {.name = "threat"},
                 {.name = "disabled", .takes_value = false},
                 {.name = "tenant"}},
       .min_args = 1,
       .max_args = 1},
      kFeedsAddHelp, RunFeedsAdd);
  add({.path = {"feeds", "ls"}}, kFeedsLsHelp, RunFeedsLs);
  add({.path = {"feeds", "rm"},
       .flags = {{.name = "tenant"}},
       .min_args = 1,
       .max_args = 1},
      kFeedsRmHelp, RunFeedsRm);
  add({.path = {"feeds", "refresh"},
       .flags = {{.name = "tenant"}},
       .min_args = 1,
       .max_args = 1},
      kFeedsRefreshHelp, RunFeedsRefresh);
  add({.path = {"feeds", "status"}}, kFeedsStatusHelp, RunFeedsStatus);
  add({.path = {"login", "check"},
       .flags = {{.name = "user"},
                 {.name = "ip"},
                 {.name = "origin"},
                 {.name = "referer"},
                 {.name = "user-agent"},
                 {.name = "host"},
                 {.name = "forwarded-for"},
                 {.name = "tls-fingerprint"},
                 {.name = "password-sha1"},
                 {.name = "tenant"}}},
      kLoginCheckHelp, RunLoginCheck);
  add({.path = {"login", "report"},
       .flags = {{.name = "user"},
                 {.name = "ip"},
                 {.name = "result"},
                 {.name = "tenant"}}},
      kLoginReportHelp, RunLoginReport);
  add({.path = {"login", "counters"},
       .flags = {{.name = "user"}, {.name = "ip"}, {.name = "tenant"}}},
      kLoginCountersHelp, RunLoginCounters);
  add({.path = {"passwords", "import"},
       .flags = {{.name = "prefix"}},
       .min_args = 1,
       .max_args = 1},
      kPasswordsImportHelp, RunPasswordsImport);
  add({.path = {"passwords", "status"}}, kPasswordsStatusHelp,
      RunPasswordsStatus);
  add({.path = {"ct", "add"},
       .flags = {{.name = "url"},
                 {.name = "api"},
                 {.name = "interval"},
                 {.name = "start"}},
       .min_args = 1,
       .max_args = 1},
      kCtAddHelp, RunCtAdd);
  add({.path = {"ct", "ls"}}, kCtLsHelp, RunCtLs);
  add({.path = {"ct", "rm"}, .min_args = 1, .max_args = 1}, kCtRmHelp, RunCtRm);
  add({.path = {"ct", "status"}}, kCtStatusHelp, RunCtStatus);
  add({.path = {"alerts", "ls"},
       .flags = {{.name = "all", .takes_value = false}, {.name = "page-size"}}},
      kAlertsLsHelp, RunAlertsLs);
  add({.path = {"alerts", "ack"}, .min_args = 1, .max_args = 1}, kAlertsAckHelp,
      RunAlertsAck);
  add({.path = {"alerts", "watch"}, .flags = {{.name = "after"}}},
      kAlertsWatchHelp, RunAlertsWatch);
  add({.path = {"beacons", "ls"},
       .flags = {{.name = "tenant"}, {.name = "page-size"}}},
      kBeaconsLsHelp, RunBeaconsLs);
  add({.path = {"beacons", "rm"},
       .flags = {{.name = "tenant"}},
       .min_args = 1,
       .max_args = 1},
      kBeaconsRmHelp, RunBeaconsRm);
  add({.path = {"status"}}, kStatusHelp, RunStatus);
  add({.path = {"cert", "probe"}, .min_args = 1, .max_args = 1}, kCertProbeHelp,
      RunCertProbe);
  add({.path = {"health"}, .flags = {{.name = "service"}}}, kHealthHelp,
      RunHealth);
  add({.path = {"help"}, .max_args = -1}, kHelpHelp, nullptr);
  return t;
}

}  // namespace

const CommandTable& Commands() {
  static const CommandTable* const table = new CommandTable(BuildTable());
  return *table;
}

absl::string_view GlobalHelp() { return kGlobalHelp; }

}  // namespace lureguard::cli
