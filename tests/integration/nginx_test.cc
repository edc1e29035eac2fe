// nginx (Debian's /usr/sbin/nginx) with `auth_request` in front of a
// static page, asking the real lureguard-server's /authz about every
// request: a URL on a blocklisted host gets 403, a clean one the page.
// The nginx configuration is the one deploy/nginx/ documents.

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/integration/gateway_server.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace lureguard {
namespace {

using ::testing::HasSubstr;

constexpr char kNginx[] = "/usr/sbin/nginx";

// A loopback port free at the time of asking. nginx binds it a moment
// later; another process could take it in between, which would fail the
// test loudly rather than pass it wrongly.
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    return 0;
  }
  close(fd);
  return ntohs(address.sin_port);
}

// The nginx.conf of deploy/nginx/lureguard.conf, made hermetic: no daemon,
// one process (no user switch, so it runs as whoever runs the test), every
// path in the temp dir.
//
// With `cache`, the /authz answers go through proxy_cache as
// deploy/nginx/lureguard-cache.conf shows, and the page says whether the
// check was a cache hit in X-Lureguard-Cache.
std::string NginxConfig(const std::string& dir, int port, int authz_port,
                        const std::string& key, bool cache = false) {
  // StrReplaceAll below replaces in one pass, so the cache path is
  // spelled out here.
  const std::string cache_zone =
      cache ? absl::StrCat("proxy_cache_path ", dir,
                           "/authz_cache levels=1:2 "
                           "keys_zone=lureguard_authz:1m max_size=10m "
                           "inactive=10m use_temp_path=off;")
            : "";
  const std::string cache_use = cache ? R"(proxy_cache lureguard_authz;
      proxy_cache_key $scheme://$http_host$request_uri;
      proxy_ignore_headers Cache-Control;
      proxy_cache_lock on;)"
                                      : "";
  const std::string cache_status =
      cache ? R"(auth_request_set $lureguard_cache $upstream_cache_status;
      add_header X-Lureguard-Cache $lureguard_cache always;)"
            : "";
  return absl::StrReplaceAll(
      R"(daemon off;
master_process off;
worker_processes 1;
pid DIR/nginx.pid;
error_log DIR/error.log info;
events { worker_connections 64; }
http {
  access_log DIR/access.log;
  client_body_temp_path DIR/client_body;
  proxy_temp_path DIR/proxy;
  fastcgi_temp_path DIR/fastcgi;
  uwsgi_temp_path DIR/uwsgi;
  scgi_temp_path DIR/scgi;
  CACHE_ZONE
  upstream lureguard { server 127.0.0.1:AUTHZ_PORT; keepalive 8; }
  server {
    listen 127.0.0.1:PORT;
    root DIR/www;
    location / {
      auth_request /_lureguard;
      auth_request_set $lureguard_action $upstream_http_x_lureguard_action;
      add_header X-Lureguard-Action $lureguard_action always;
      CACHE_STATUS
    }
    location = /_lureguard {
      internal;
      proxy_pass http://lureguard/authz;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_set_header X-Original-URL $scheme://$http_host$request_uri;
      proxy_set_header Authorization "Bearer KEY";
      CACHE_USE
    }
  }
}
)",
      {{"CACHE_ZONE", cache_zone},
       {"CACHE_USE", cache_use},
       {"CACHE_STATUS", cache_status},
       {"DIR", dir},
       {"AUTHZ_PORT", absl::StrCat(authz_port)},
       {"PORT", absl::StrCat(port)},
       {"KEY", key}});
}

TEST(Nginx, AuthRequestBlocksAPhishingHostAndServesACleanOne) {
  if (!std::filesystem::exists(kNginx)) {
    GTEST_SKIP() << kNginx
                 << " is not installed (scripts/setup installs "
                    "Debian's nginx package)";
  }
  testing::GatewayServer lureguard;
  ASSERT_TRUE(lureguard.Start());
  lureguard.Block("evil-phish.test");
  const std::string key = lureguard.CreateKey("nginx", v1::VERDICT);

  testing::TempDir dir;
  std::filesystem::create_directories(dir.path() + "/www");
  std::ofstream(dir.path() + "/www/index.html") << "the protected page\n";
  const int port = FreePort();
  ASSERT_NE(port, 0);
  const std::string config = dir.path() + "/nginx.conf";
  std::ofstream(config) << NginxConfig(dir.path(), port, lureguard.http_port(),
                                       key);

  // -e: the error log before the config is read (nginx >= 1.19.5).
  testing::Subprocess nginx({kNginx, "-c", config, "-p", dir.path(), "-e",
                             dir.path() + "/error.log"});
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(std::chrono::seconds(30));
  // Up once it answers; give up after 20 s.
  bool up = false;
  for (int i = 0; i < 200 && !up; ++i) {
    up = static_cast<bool>(client.Get("/", {{"Host", "www.example.org"}}));
    if (!up) absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_TRUE(up) << "nginx did not answer; its log:\n" << nginx.stderr_text();
  httplib::Result clean =
      client.Get("/index.html", {{"Host", "www.example.org"}});
  ASSERT_TRUE(clean);
  EXPECT_EQ(clean->status, 200);
  EXPECT_EQ(clean->body, "the protected page\n");
  EXPECT_EQ(clean->get_header_value("X-Lureguard-Action"), "ALLOW");

  httplib::Result blocked =
      client.Get("/index.html?session=1", {{"Host", "login.evil-phish.test"}});
  ASSERT_TRUE(blocked);
  EXPECT_EQ(blocked->status, 403);
  EXPECT_THAT(blocked->body, ::testing::Not(HasSubstr("the protected page")));
  EXPECT_EQ(blocked->get_header_value("X-Lureguard-Action"), "BLOCK");

  // nginx asked Lureguard both times, with the URL it built.
  absl::StatusOr<std::string> line = lureguard.process().WaitForStderrLine(
      "\"action\":\"BLOCK\"", absl::Seconds(10));
  EXPECT_TRUE(line.ok()) << line.status();
  EXPECT_THAT(*line, HasSubstr("\"method\":\"GET /authz\""));

  nginx.Signal(SIGQUIT);  // graceful stop
  nginx.Wait();
  EXPECT_EQ(lureguard.Stop(), 0);
}

// Answers that lureguard marks reusable (Cache-Control max-age and nginx's
// X-Accel-Expires, the verdict's cache_ttl) are kept by proxy_cache: the
// second request for the same URL does not reach lureguard, for an allowed
// URL and for a blocked one alike.
TEST(Nginx, ProxyCacheAnswersARepeatedUrlWithoutAskingAgain) {
  if (!std::filesystem::exists(kNginx)) {
    GTEST_SKIP() << kNginx
                 << " is not installed (scripts/setup installs "
                    "Debian's nginx package)";
  }
  testing::GatewayServer lureguard;
  ASSERT_TRUE(lureguard.Start());
  lureguard.Block("evil-phish.test");
  const std::string key = lureguard.CreateKey("nginx", v1::VERDICT);

  testing::TempDir dir;
  std::filesystem::create_directories(dir.path() + "/www");
  std::ofstream(dir.path() + "/www/index.html") << "the protected page\n";
  const int port = FreePort();
  ASSERT_NE(port, 0);
  const std::string config = dir.path() + "/nginx.conf";
  std::ofstream(config) << NginxConfig(dir.path(), port, lureguard.http_port(),
                                       key, /*cache=*/true);
  testing::Subprocess nginx({kNginx, "-c", config, "-p", dir.path(), "-e",
                             dir.path() + "/error.log"});
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(std::chrono::seconds(30));
  // Up once it answers (for a host that is not used below).
  bool up = false;
  for (int i = 0; i < 200 && !up; ++i) {
    up = static_cast<bool>(
        client.Get("/index.html", {{"Host", "warmup.example"}}));
    if (!up) absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_TRUE(up) << "nginx did not answer; its log:\n" << nginx.stderr_text();
  const auto authz_requests = [&lureguard] {
    const std::string log = lureguard.process().stderr_text();
    int count = 0;
    for (size_t at = log.find("\"method\":\"GET /authz\"");
         at != std::string::npos;
         at = log.find("\"method\":\"GET /authz\"", at + 1)) {
      ++count;
    }
    return count;
  };
  // The request log line follows the answer; wait for `n` lines.
  const auto wait_for_requests = [&](int n) {
    for (int i = 0; i < 200 && authz_requests() < n; ++i) {
      absl::SleepFor(absl::Milliseconds(50));
    }
    return authz_requests();
  };
  ASSERT_EQ(wait_for_requests(1), 1);

  for (const char* host : {"www.example.org", "login.evil-phish.test"}) {
    const int before = authz_requests();
    httplib::Result first = client.Get("/index.html", {{"Host", host}});
    httplib::Result second = client.Get("/index.html", {{"Host", host}});
    ASSERT_TRUE(first && second) << host;
    EXPECT_EQ(first->status, second->status) << host;
    EXPECT_EQ(first->get_header_value("X-Lureguard-Cache"), "MISS") << host;
    EXPECT_EQ(second->get_header_value("X-Lureguard-Cache"), "HIT") << host;
    EXPECT_EQ(second->get_header_value("X-Lureguard-Action"),
              first->get_header_value("X-Lureguard-Action"))
        << host;
    // Another URL reaches lureguard; once it is logged, the repeat would
    // have been logged too had it come.
    httplib::Result other = client.Get("/other.html", {{"Host", host}});
    ASSERT_TRUE(other);
    EXPECT_EQ(wait_for_requests(before + 2), before + 2) << host;
  }
  EXPECT_EQ(
      client.Get("/index.html", {{"Host", "login.evil-phish.test"}})->status,
      403);

  nginx.Signal(SIGQUIT);
  nginx.Wait();
  EXPECT_EQ(lureguard.Stop(), 0);
}

}  // namespace
}  // namespace lureguard
