// Proofpoint URL Defense, three formats, on urldefense.proofpoint.com or
// urldefense.com (Proofpoint's own decoder accepts both for every version):
//   v1  /v1/url?u=<percent-encoded>&k=...
//   v2  /v2/url?u=<percent-encoded, then '%' written '-' and '/' written
//       '_'>&d=...&c=...
//   v3  /v3/__<url>__;<base64url>!!<tail>  where the characters that could
//       not stay in the URL are each replaced by '*', and "**" plus a length
//       character by a run of them; the replaced characters, in order, are
//       the UTF-8 text of the base64url part. Run lengths: 'A' = 2, 'B' = 3,
//       ... 'Z', 'a' ... 'z', '0' ... '9', '-', '_' = 65.
// Written from Proofpoint's published format description and reference
// decoder (URLDefenseDecode.py, "How do I decode a rewritten URL?").

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/common/utf8.h"
#include "server/redirects/unwrap.h"
#include "server/redirects/wrapper_url.h"

namespace lureguard::redirects {
namespace {

constexpr std::string_view kHosts[] = {"urldefense.proofpoint.com",
                                       "urldefense.com"};

// The marker shared by both hosts, for the cheap pre-filter.
constexpr std::string_view kHostMarker = "urldefense.";

std::optional<url::ParsedUrl> ParseProofpoint(std::string_view url) {
  std::optional<url::ParsedUrl> parsed = ParseCandidate(url, kHostMarker);
  if (!parsed.has_value()) return std::nullopt;
  for (std::string_view host : kHosts) {
    if (HostMatches(*parsed, host, /*subdomains=*/false)) {
      return parsed;
    }
  }
  return std::nullopt;
}

// Proofpoint's reference decoder unescapes HTML character references after
// percent-decoding v1 and v2 (their rewriter saw the href as written in
// the HTML, "&amp;" and all). The references URLs carry: the five XML
// names and numeric ones; anything else stays as written.
std::string UnescapeHtml(std::string_view text) {
  static constexpr std::pair<std::string_view, std::string_view> kNamed[] = {
      {"&amp;", "&"},
      {"&lt;", "<"},
      {"&gt;", ">"},
      {"&quot;", "\""},
      {"&apos;", "'"}};
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (text[i] != '&') {
      out.push_back(text[i++]);
      continue;
    }
    bool replaced = false;
    for (const auto& [name, value] : kNamed) {
      if (text.substr(i, name.size()) == name) {
        out.append(value);
        i += name.size();
        replaced = true;
        break;
      }
    }
    if (replaced) continue;
    // &#NNN; or &#xHH; for code points below 0x80: a URL needs no others.
    if (text.substr(i, 2) == "&#") {
      const bool hex = i + 2 < text.size() && (text[i + 2] | 0x20) == 'x';
      size_t j = i + (hex ? 3 : 2);
      int value = 0;
      const size_t digits_begin = j;
      while (
          j < text.size() && j - digits_begin < 4 &&
          absl::ascii_isxdigit(static_cast<unsigned char>(text[j])) &&
          (hex || absl::ascii_isdigit(static_cast<unsigned char>(text[j])))) {
        const char c = static_cast<char>(
            absl::ascii_tolower(static_cast<unsigned char>(text[j])));
        value = value * (hex ? 16 : 10) + (c <= '9' ? c - '0' : c - 'a' + 10);
        ++j;
      }
      if (j > digits_begin && j < text.size() && text[j] == ';' && value > 0 &&
          value < 0x80) {
        out.push_back(static_cast<char>(value));
        i = j + 1;
        continue;
      }
    }
    out.push_back(text[i++]);
  }
  return out;
}

// v1 and v2: the URL in the `u` parameter of /vN/url.
class QueryProofpointDecoder final : public MarkedHostDecoder {
 public:
  QueryProofpointDecoder(std::string_view name, std::string_view path,
                         bool v2_alphabet)
      : MarkedHostDecoder(name, kHostMarker),
        path_(path),
        v2_alphabet_(v2_alphabet) {}

  std::optional<absl::StatusOr<std::string>> Decode(
      std::string_view url) const override {
    std::optional<url::ParsedUrl> parsed = ParseProofpoint(url);
    if (!parsed.has_value() || parsed->path != path_) return std::nullopt;
    const std::optional<std::string_view> inner =
        QueryParameter(parsed->query, "u");
    if (!inner.has_value()) return Malformed(name(), "no u parameter");
    if (inner->empty()) return Malformed(name(), "u is empty");
    std::string escaped(*inner);
    if (v2_alphabet_) {
      for (char& c : escaped) {
        if (c == '-') c = '%';
        if (c == '_') c = '/';
      }
    }
    return UnescapeHtml(url::PercentDecode(escaped));
  }

 private:
  std::string_view path_;
  bool v2_alphabet_;
};

constexpr std::string_view kV3Name = "proofpoint-v3";
constexpr std::string_view kV3Prefix = "/v3/__";
constexpr std::string_view kRunLengthCodes =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// The UTF-8 characters of `text`, one string_view each.
// REQUIRES: IsValidUtf8(text).
std::vector<std::string_view> SplitCharacters(std::string_view text) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < text.size();) {
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    const size_t length = lead < 0x80   ? 1
                          : lead < 0xe0 ? 2
                          : lead < 0xf0 ? 3
                                        : 4;
    out.push_back(text.substr(i, length));
    i += length;
  }
  return out;
}

class ProofpointV3Decoder final : public MarkedHostDecoder {
 public:
  ProofpointV3Decoder() : MarkedHostDecoder(kV3Name, kHostMarker) {}

  std::optional<absl::StatusOr<std::string>> Decode(
      std::string_view url) const override {
    std::optional<url::ParsedUrl> parsed = ParseProofpoint(url);
    if (!parsed.has_value() || parsed->path.rfind("/v3/", 0) != 0) {
      return std::nullopt;
    }
    // The wrapped URL is read from the text as written: the WHATWG parser
    // would resolve its dot segments and split it at its '?'.
    const size_t scheme_end = url.find("://");
    const size_t prefix = url.find(
        kV3Prefix, scheme_end == std::string_view::npos ? 0 : scheme_end + 3);
    if (prefix == std::string_view::npos) {
      return Malformed(kV3Name, "no /v3/__ before the URL");
    }
    const std::string_view rest = url.substr(prefix + kV3Prefix.size());
    const size_t url_end = rest.find("__;");
    if (url_end == std::string_view::npos) {
      return Malformed(kV3Name, "no __; after the URL");
    }
    if (url_end == 0) return Malformed(kV3Name, "the URL is empty");
    const std::string_view tail = rest.substr(url_end + 3);
    const size_t bang = tail.find('!');
    if (bang == std::string_view::npos) {
      return Malformed(kV3Name, "no ! after the replaced characters");
    }
    const std::string_view encoded = tail.substr(0, bang);
    std::string replaced;
    if (encoded.find_first_of("+/=") != std::string_view::npos ||
        !absl::WebSafeBase64Unescape(
            absl::string_view(encoded.data(), encoded.size()), &replaced)) {
      return Malformed(kV3Name, "the replaced characters are not base64url");
    }
    if (!IsValidUtf8(replaced)) {
      return Malformed(kV3Name, "the replaced characters are not UTF-8");
    }
    return Substitute(url::PercentDecode(rest.substr(0, url_end)),
                      SplitCharacters(replaced));
  }

 private:
  static absl::StatusOr<std::string> Substitute(
      std::string_view text, const std::vector<std::string_view>& characters) {
    std::string out;
    out.reserve(text.size() + characters.size() * 2);
    size_t next = 0;  // the next replaced character to use
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '*') {
        out.push_back(text[i]);
        continue;
      }
      size_t run = 1;
      if (i + 2 < text.size() && text[i + 1] == '*') {
        const size_t code = kRunLengthCodes.find(text[i + 2]);
        if (code == std::string_view::npos) {
          return Malformed(kV3Name,
                           absl::StrCat("bad run length character '",
                                        absl::CHexEscape(absl::string_view(
                                            text.data() + i + 2, 1)),
                                        "'"));
        }
        run = code + 2;
        i += 2;
      }
      if (characters.size() - next < run) {
        return Malformed(
            kV3Name, absl::StrCat("the URL replaces more characters than the ",
                                  characters.size(), " given"));
      }
      for (size_t k = 0; k < run; ++k) {
        const std::string_view c = characters[next++];
        out.append(c.data(), c.size());
      }
    }
    if (next != characters.size()) {
      return Malformed(
          kV3Name,
          absl::StrCat(characters.size() - next, " of the ", characters.size(),
                       " replaced characters are not used"));
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<WrapperDecoder> MakeProofpointV1Decoder() {
  return std::make_unique<QueryProofpointDecoder>("proofpoint-v1", "/v1/url",
                                                  /*v2_alphabet=*/false);
}

std::unique_ptr<WrapperDecoder> MakeProofpointV2Decoder() {
  return std::make_unique<QueryProofpointDecoder>("proofpoint-v2", "/v2/url",
                                                  /*v2_alphabet=*/true);
}

std::unique_ptr<WrapperDecoder> MakeProofpointV3Decoder() {
  return std::make_unique<ProofpointV3Decoder>();
}

}  // namespace lureguard::redirects
