#include "server/lists/curl_http_fetcher.h"

#include <curl/curl.h>
#include <sys/socket.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/common/status_macros.h"
#include "server/common/target_guard.h"

namespace lureguard::lists {
namespace {

void EnsureCurlGlobalInit() {
  // curl_global_init is not safe to race with other curl calls; once per
  // process, never cleaned up (other threads may still use curl at exit).
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
template <typename T>
using CurlPtr = std::unique_ptr<T, CurlDeleter>;

std::string FormatBytes(int64_t bytes) {
  constexpr int64_t kKiB = 1024, kMiB = 1024 * 1024;
  if (bytes >= kMiB && bytes % kMiB == 0) {
    return absl::StrCat(bytes / kMiB, " MiB");
  }
  if (bytes >= kKiB && bytes % kKiB == 0) {
    return absl::StrCat(bytes / kKiB, " KiB");
  }
  return absl::StrCat(bytes, " bytes");
}

// The parts of a URL the guard needs, as curl itself parses them: judging
// a URL with a different parser than the one that connects invites
// parser-differential bypasses.
struct Target {
  std::string scheme;
  std::string host;  // without IPv6 brackets
  std::string port;
};

absl::StatusOr<Target> ParseTarget(const std::string& url) {
  CurlPtr<CURLU> parsed(curl_url());
  if (!parsed) return absl::ResourceExhaustedError("curl_url() failed");
  if (CURLUcode rc = curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0);
      rc != CURLUE_OK) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid URL '", url, "': ", curl_url_strerror(rc)));
  }
  Target target;
  auto get = [&](CURLUPart part, unsigned flags,
                 std::string* out) -> absl::Status {
    char* value = nullptr;
    if (CURLUcode rc = curl_url_get(parsed.get(), part, &value, flags);
        rc != CURLUE_OK) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid URL '", url, "': ", curl_url_strerror(rc)));
    }
    *out = value;
    curl_free(value);
    return absl::OkStatus();
  };
  RETURN_IF_ERROR(get(CURLUPART_SCHEME, 0, &target.scheme));
  if (target.scheme != "http" && target.scheme != "https") {
    return absl::InvalidArgumentError(absl::StrCat("unsupported scheme '",
                                                   target.scheme, "' in '", url,
                                                   "' (http and https only)"));
  }
  RETURN_IF_ERROR(get(CURLUPART_HOST, 0, &target.host));
  RETURN_IF_ERROR(get(CURLUPART_PORT, CURLU_DEFAULT_PORT, &target.port));
  if (absl::StartsWith(target.host, "[") && absl::EndsWith(target.host, "]")) {
    target.host = target.host.substr(1, target.host.size() - 2);
  }
  return target;
}

// What one transfer collected.
struct Transfer {
  int64_t max_body_bytes = 0;
  bool body_too_large = false;
  HttpResponse response;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t length = size * count;
  std::string& body = transfer->response.body;
  if (static_cast<int64_t>(body.size() + length) > transfer->max_body_bytes) {
    transfer->body_too_large = true;
    return 0;  // any short count aborts the transfer
  }
  body.append(data, length);
  return length;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t length = size * count;
  absl::string_view line(data, length);
  line = absl::StripTrailingAsciiWhitespace(line);
  HttpResponse& response = transfer->response;
  if (absl::StartsWith(line, "HTTP/")) {
    // A new response (after "100 Continue"): forget the previous headers.
    response.etag.clear();
    response.last_modified.clear();
    response.content_type.clear();
    return length;
  }
  const size_t colon = line.find(':');
  if (colon == absl::string_view::npos) return length;
  absl::string_view name = absl::StripAsciiWhitespace(line.substr(0, colon));
  absl::string_view value = absl::StripAsciiWhitespace(line.substr(colon + 1));
  if (absl::EqualsIgnoreCase(name, "ETag")) {
    response.etag = std::string(value);
  } else if (absl::EqualsIgnoreCase(name, "Last-Modified")) {
    response.last_modified = std::string(value);
  } else if (absl::EqualsIgnoreCase(name, "Content-Type")) {
    response.content_type = std::string(value);
  }
  return length;
}

bool IsRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 ||
         status == 308;
}

// The addresses a fetch of `target` may connect to: the literal, or every
// address its host resolves to. The SSRF guard (common/target_guard.h)
// must allow each one, and the connection goes only to those addresses.
absl::StatusOr<std::vector<IpAddress>> GuardedAddresses(
    const CurlHttpFetcherOptions& options, const Target& target,
    const std::optional<IpAddress>& literal, const std::string& url,
    const std::string& note) {
  std::vector<IpAddress> addresses;
  if (literal) {
    addresses.push_back(*literal);
  } else {
    absl::StatusOr<std::vector<IpAddress>> resolved =
        options.resolve ? options.resolve(target.host)
                        : SystemResolver().Resolve(target.host);
    if (!resolved.ok()) {
      return absl::Status(
          resolved.status().code(),
          absl::StrCat(resolved.status().message(), " (", url, ")", note));
    }
    if (resolved->empty()) {
      return absl::UnavailableError(absl::StrCat(
          "'", target.host, "' has no addresses (", url, ")", note));
    }
    addresses = *std::move(resolved);
  }
  TargetPolicy policy;
  policy.allow_private_targets = options.allow_private_targets;
  policy.refusal_reason = options.refusal_reason;
  if (absl::Status s =
          CheckTargetAddresses(target.host, addresses, policy, "fetch");
      !s.ok()) {
    return absl::Status(s.code(), absl::StrCat(s.message(), note));
  }
  return addresses;
}

// The validators of the last success, so an unchanged feed answers 304.
CurlPtr<curl_slist> ConditionalHeaders(const HttpRequest& request) {
  CurlPtr<curl_slist> headers;
  auto add_header = [&](const std::string& header) {
    headers.reset(curl_slist_append(headers.release(), header.c_str()));
  };
  if (!request.etag.empty()) {
    add_header(absl::StrCat("If-None-Match: ", request.etag));
  }
  if (!request.last_modified.empty()) {
    add_header(absl::StrCat("If-Modified-Since: ", request.last_modified));
  }
  return headers;
}

// A CURLOPT_RESOLVE entry that pins `target`'s host to the addresses the
// guard checked, so curl cannot resolve it again to another answer.
CurlPtr<curl_slist> PinnedAddresses(const Target& target,
                                    const std::vector<IpAddress>& addresses) {
  std::vector<std::string> texts;
  for (const IpAddress& address : addresses) {
    texts.push_back(address.is_v6
                        ? absl::StrCat("[", IpAddressText(address), "]")
                        : IpAddressText(address));
  }
  const std::string entry = absl::StrCat(target.host, ":", target.port, ":",
                                         absl::StrJoin(texts, ","));
  return CurlPtr<curl_slist>(curl_slist_append(nullptr, entry.c_str()));
}

// "timed out after 30s": the whole fetch's deadline passed.
std::string TimedOut(const HttpRequest& request) {
  return absl::StrCat("timed out after ",
                      absl::FormatDuration(request.total_timeout));
}

// One request of a fetch; redirects are followed by the caller.
struct Hop {
  const HttpRequest& request;
  const std::string& url;
  const std::string& note;              // "; redirected from ...", or empty
  std::chrono::milliseconds remaining;  // of the whole fetch's deadline
};

// What one hop answered.
struct HopAnswer {
  long status = 0;
  std::optional<std::string> location;  // where a redirect points
  HttpResponse response;
};

void SetTransferOptions(CURL* h, const CurlHttpFetcherOptions& options,
                        const Hop& hop, Transfer& transfer, char* error) {
  curl_easy_setopt(h, CURLOPT_URL, hop.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  // Environment proxies would connect somewhere the guard never saw.
  curl_easy_setopt(h, CURLOPT_PROXY, "");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // every built-in
  curl_easy_setopt(h, CURLOPT_USERAGENT, options.user_agent.c_str());
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min<int64_t>(
                       absl::ToInt64Milliseconds(hop.request.connect_timeout),
                       hop.remaining.count())));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(hop.remaining.count()));
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(hop.request.max_body_bytes));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  if (hop.request.head) curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
}

// The error a failed transfer is reported as; OK when it succeeded.
absl::Status TransferStatus(CURL* h, CURLcode rc, const Transfer& transfer,
                            const char* error, const Hop& hop) {
  const std::string detail = error[0] != '\0' ? error : curl_easy_strerror(rc);
  const HttpRequest& request = hop.request;
  if (transfer.body_too_large || rc == CURLE_FILESIZE_EXCEEDED) {
    return absl::ResourceExhaustedError(
        absl::StrCat("body exceeds ", FormatBytes(request.max_body_bytes), " (",
                     hop.url, ")", hop.note));
  }
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    curl_off_t connect_time = 0;
    curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connect_time);
    // Never connected, and the connect timeout was the shorter one.
    if (connect_time == 0 &&
        request.connect_timeout < absl::FromChrono(hop.remaining)) {
      return absl::DeadlineExceededError(
          absl::StrCat("connect timed out after ",
                       absl::FormatDuration(request.connect_timeout), " (",
                       hop.url, ")", hop.note));
    }
    return absl::DeadlineExceededError(
        absl::StrCat(TimedOut(request), " (", hop.url, ")", hop.note));
  }
  if (rc != CURLE_OK) {
    return absl::UnavailableError(
        absl::StrCat("fetch failed: ", detail, " (", hop.url, ")", hop.note));
  }
  return absl::OkStatus();
}

// Performs one hop, connecting only to `pinned` addresses when given.
absl::StatusOr<HopAnswer> PerformHop(const CurlHttpFetcherOptions& options,
                                     const Hop& hop, const curl_slist* pinned) {
  CurlPtr<CURL> curl(curl_easy_init());
  if (!curl) return absl::ResourceExhaustedError("curl_easy_init() failed");
  CURL* h = curl.get();
  Transfer transfer;
  transfer.max_body_bytes = hop.request.max_body_bytes;
  char error[CURL_ERROR_SIZE] = {};
  CurlPtr<curl_slist> headers = ConditionalHeaders(hop.request);
  SetTransferOptions(h, options, hop, transfer, error);
  if (headers) curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  if (pinned) curl_easy_setopt(h, CURLOPT_RESOLVE, pinned);

  const CURLcode rc = curl_easy_perform(h);
  RETURN_IF_ERROR(TransferStatus(h, rc, transfer, error, hop));
  HopAnswer answer;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &answer.status);
  char* location = nullptr;
  curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &location);
  if (location != nullptr) answer.location = location;
  answer.response = std::move(transfer.response);
  return answer;
}

}  // namespace

CurlHttpFetcher::CurlHttpFetcher(CurlHttpFetcherOptions options)
    : options_(std::move(options)) {
  EnsureCurlGlobalInit();
}

absl::StatusOr<HttpResponse> CurlHttpFetcher::Fetch(
    const HttpRequest& request) {
  using SteadyClock = std::chrono::steady_clock;
  const SteadyClock::time_point deadline =
      SteadyClock::now() + absl::ToChronoMilliseconds(request.total_timeout);
  std::string url = request.url;
  std::string redirected_from;
  std::vector<std::string> chain;
  for (int hop = 0;; ++hop) {
    const std::string note =
        redirected_from.empty()
            ? std::string()
            : absl::StrCat("; redirected from ", redirected_from);
    absl::StatusOr<Target> target = ParseTarget(url);
    if (!target.ok()) {
      return absl::Status(target.status().code(),
                          absl::StrCat(target.status().message(), note));
    }
    const std::optional<IpAddress> literal = ParseIpAddress(target->host);
    ASSIGN_OR_RETURN(std::vector<IpAddress> addresses,
                     GuardedAddresses(options_, *target, literal, url, note));

    const auto remaining =
        std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - SteadyClock::now());
    if (remaining.count() <= 0) {
      return absl::DeadlineExceededError(
          absl::StrCat(TimedOut(request), " (", url, ")", note));
    }
    // A literal needs no pinning: there is nothing to resolve.
    CurlPtr<curl_slist> pinned;
    if (!literal) pinned = PinnedAddresses(*target, addresses);
    ASSIGN_OR_RETURN(
        HopAnswer answer,
        PerformHop(options_, Hop{request, url, note, remaining}, pinned.get()));

    const bool redirect =
        IsRedirect(static_cast<int>(answer.status)) && answer.location;
    if (redirect && request.follow_redirects) {
      if (hop >= options_.max_redirects) {
        return absl::FailedPreconditionError(
            absl::StrCat("more than ", options_.max_redirects,
                         " redirects, starting at ", request.url));
      }
      redirected_from = url;
      chain.push_back(url);
      url = *answer.location;
      continue;
    }
    HttpResponse response = std::move(answer.response);
    response.status_code = static_cast<int>(answer.status);
    response.not_modified = answer.status == 304;
    response.final_url = url;
    response.redirected_from = std::move(chain);
    if (redirect) response.location = *std::move(answer.location);
    return response;
  }
}

}  // namespace lureguard::lists
