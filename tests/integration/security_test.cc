// Security end to end, against the real server binary: the auth matrix over
// every RPC, TLS and mTLS handshakes with certificates made here by the
// openssl tool, plaintext refused off loopback, per-key rate limits,
// server-side deadlines and the audit log (through the CLI).

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "lureguard/v1/admin_service.grpc.pb.h"
#include "lureguard/v1/link_service.grpc.pb.h"
#include "lureguard/v1/url_service.grpc.pb.h"
#include "tests/integration/server_process.h"
#include "tests/testing/http_test_server.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace lureguard {
namespace {

namespace v1 = ::lureguard::v1;
using grpc::StatusCode;
using ::testing::HasSubstr;

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

testing::RunResult Cli(const std::string& server,
                       std::vector<std::string> args) {
  std::vector<std::string> argv = {LUREGUARD_CLI_BINARY, "--server", server};
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::Run(argv);
}

// Creates a key through the CLI (with the admin token in the environment)
// and returns its token.
std::string CreateKey(const ServerProcess& server,
                      std::vector<std::string> args) {
  std::vector<std::string> full = {"keys", "create"};
  full.insert(full.end(), args.begin(), args.end());
  testing::RunResult run = Cli(server.address(), full);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return std::string(absl::StripAsciiWhitespace(run.out));
}

// ---- The auth matrix ------------------------------------------------------

// What a method needs, as in server/service/authorize.h.
enum class Needs { kCheck, kAdminRead, kAdminWrite };

// One RPC, called with an empty (or harmless) request. `allowed` is the
// code it answers once authorization has passed: proof that the call got
// through the gate, without changing anything.
struct Rpc {
  std::string name;
  Needs needs;
  StatusCode allowed;
  std::function<grpc::Status(ServerProcess&, grpc::ClientContext*,
                             const std::string& tenant)>
      call;
};

template <typename Request, typename Response, typename Method>
std::function<grpc::Status(ServerProcess&, grpc::ClientContext*,
                           const std::string&)>
AdminUnary(Method method, Request request = Request()) {
  return [method, request](ServerProcess& server, grpc::ClientContext* context,
                           const std::string&) {
    Response response;
    return ((*server.admin()).*method)(context, request, &response);
  };
}

std::vector<Rpc> EveryRpc() {
  using S = v1::AdminService::Stub;
  v1::ListListEntriesRequest list_blocklist;
  list_blocklist.set_list(v1::BLOCKLIST);
  v1::ImportBrandsRequest bad_brand_format;
  bad_brand_format.set_format("no-such-format");
  return {
      {"CheckUrl", Needs::kCheck, StatusCode::INVALID_ARGUMENT,
       [](ServerProcess& server, grpc::ClientContext* context,
          const std::string& tenant) {
         v1::CheckUrlRequest request;  // no URL: INVALID_ARGUMENT once in
         request.set_tenant(tenant);
         v1::CheckUrlResponse response;
         return server.url()->CheckUrl(context, request, &response);
       }},
      {"CheckUrls", Needs::kCheck, StatusCode::OK,
       [](ServerProcess& server, grpc::ClientContext* context,
          const std::string& tenant) {
         v1::CheckUrlsRequest request;
         request.set_tenant(tenant);
         v1::CheckUrlsResponse response;
         return server.url()->CheckUrls(context, request, &response);
       }},
      {"StreamCheckUrls", Needs::kCheck, StatusCode::OK,
       [](ServerProcess& server, grpc::ClientContext* context,
          const std::string& tenant) {
         auto stub = server.url();
         auto stream = stub->StreamCheckUrls(context);
         v1::StreamCheckUrlsRequest request;
         request.set_url("http://a.test/");
         request.set_tenant(tenant);
         stream->Write(request);
         stream->WritesDone();
         v1::StreamCheckUrlsResponse response;
         while (stream->Read(&response)) {
         }
         return stream->Finish();
       }},
      {"CreateListEntry", Needs::kAdminWrite, StatusCode::INVALID_ARGUMENT,
       AdminUnary<v1::CreateListEntryRequest, v1::ListEntry>(
           &S::CreateListEntry)},
      {"DeleteListEntry", Needs::kAdminWrite, StatusCode::INVALID_ARGUMENT,
       AdminUnary<v1::DeleteListEntryRequest, v1::DeleteListEntryResponse>(
           &S::DeleteListEntry)},
      {"ListListEntries", Needs::kAdminRead, StatusCode::OK,
       AdminUnary<v1::ListListEntriesRequest, v1::ListListEntriesResponse>(
           &S::ListListEntries, list_blocklist)},
      {"ImportListEntries", Needs::kAdminWrite, StatusCode::INVALID_ARGUMENT,
       [](ServerProcess& server, grpc::ClientContext* context,
          const std::string&) {
         auto stub = server.admin();
         v1::ImportListEntriesResponse response;
         auto writer = stub->ImportListEntries(context, &response);
         writer->WritesDone();  // no message at all
         return writer->Finish();
       }},
      {"GetStatus", Needs::kAdminRead, StatusCode::OK,
       AdminUnary<v1::GetStatusRequest, v1::GetStatusResponse>(&S::GetStatus)},
      {"CreateFeed", Needs::kAdminWrite, StatusCode::INVALID_ARGUMENT,
       AdminUnary<v1::CreateFeedRequest, v1::Feed>(&S::CreateFeed)},
      {"ListFeeds", Needs::kAdminRead, StatusCode::OK,
       AdminUnary<v1::ListFeedsRequest, v1::ListFeedsResponse>(&S::ListFeeds)},
      {"DeleteFeed", Needs::kAdminWrite, StatusCode::INVALID_ARGUMENT,
       AdminUnary<v1::DeleteFeedRequest, v1::DeleteFeedResponse>(
           &S::DeleteFeed)},
      {"RefreshFeed", Needs::kAdminWrite, StatusCode::INVALID_ARGUMENT,
       AdminUnary<v1::RefreshFeedRequest, v1::Feed>(&S::RefreshFeed)},
      {"CreateBrand", Needs::kAdminWrite, StatusCode::INVALID_ARGUMENT,
       AdminUnary<v1::CreateBrandRequest, v1::Brand>(&S::CreateBrand)},
      {"DeleteBrand", Needs::kAdminWrite, StatusCode::INVALID_ARGUMENT,
       AdminUnary<v1::DeleteBrandRequest, v1::DeleteBrandResponse>(
           &S::DeleteBrand)},
      {"ListBrands", Needs::kAdminRead, StatusCode::OK,
       AdminUnary<v1::ListBrandsRequest, v1::ListBrandsResponse>(
           &S::ListBrands)},
      {"ImportBrands", Needs::kAdminWrite, StatusCode::INVALID_ARGUMENT,
       AdminUnary<v1::ImportBrandsRequest, v1::ImportBrandsResponse>(
           &S::ImportBrands, bad_brand_format)},
      {"CreateApiKey", Needs::kAdminWrite, StatusCode::INVALID_ARGUMENT,
       AdminUnary<v1::CreateApiKeyRequest, v1::CreateApiKeyResponse>(
           &S::CreateApiKey)},
      {"ListApiKeys", Needs::kAdminRead, StatusCode::OK,
       AdminUnary<v1::ListApiKeysRequest, v1::ListApiKeysResponse>(
           &S::ListApiKeys)},
      {"RevokeApiKey", Needs::kAdminWrite, StatusCode::NOT_FOUND,
       AdminUnary<v1::RevokeApiKeyRequest, v1::RevokeApiKeyResponse>(
           &S::RevokeApiKey)},
      {"ListAuditRecords", Needs::kAdminRead, StatusCode::OK,
       AdminUnary<v1::ListAuditRecordsRequest, v1::ListAuditRecordsResponse>(
           &S::ListAuditRecords)},
      // An empty host is refused after authorization: no probe leaves the
      // machine from this test.
      {"ProbeCertificate", Needs::kAdminWrite, StatusCode::INVALID_ARGUMENT,
       AdminUnary<v1::ProbeCertificateRequest, v1::ProbeCertificateResponse>(
           &S::ProbeCertificate)},
      {"CreateCtLog", Needs::kAdminWrite, StatusCode::INVALID_ARGUMENT,
       AdminUnary<v1::CreateCtLogRequest, v1::CtLog>(&S::CreateCtLog)},
      {"ListCtLogs", Needs::kAdminRead, StatusCode::OK,
       AdminUnary<v1::ListCtLogsRequest, v1::ListCtLogsResponse>(
           &S::ListCtLogs)},
      {"DeleteCtLog", Needs::kAdminWrite, StatusCode::INVALID_ARGUMENT,
       AdminUnary<v1::DeleteCtLogRequest, v1::DeleteCtLogResponse>(
           &S::DeleteCtLog)},
      {"ListAlerts", Needs::kAdminRead, StatusCode::OK,
       AdminUnary<v1::ListAlertsRequest, v1::ListAlertsResponse>(
           &S::ListAlerts)},
      {"AckAlert", Needs::kAdminWrite, StatusCode::INVALID_ARGUMENT,
       AdminUnary<v1::AckAlertRequest, v1::Alert>(&S::AckAlert)},
      // A negative `after_id` is refused once through the gate, so the
      // stream ends at once instead of waiting for alerts.
      {"WatchAlerts", Needs::kAdminRead, StatusCode::INVALID_ARGUMENT,
       [](ServerProcess& server, grpc::ClientContext* context,
          const std::string&) {
         auto stub = server.admin();
         v1::WatchAlertsRequest request;
         request.set_after_id(-1);
         auto reader = stub->WatchAlerts(context, request);
         v1::Alert alert;
         while (reader->Read(&alert)) {
         }
         return reader->Finish();
       }},
      {"ListBeaconFlags", Needs::kAdminRead, StatusCode::OK,
       AdminUnary<v1::ListBeaconFlagsRequest, v1::ListBeaconFlagsResponse>(
           &S::ListBeaconFlags)},
      // No host: refused once through the gate.
      {"DeleteBeaconFlag", Needs::kAdminWrite, StatusCode::INVALID_ARGUMENT,
       AdminUnary<v1::DeleteBeaconFlagRequest, v1::DeleteBeaconFlagResponse>(
           &S::DeleteBeaconFlag)},
      // LinkService: no content, no token, no URL are each refused once in.
      {"RewriteMessage", Needs::kCheck, StatusCode::INVALID_ARGUMENT,
       [](ServerProcess& server, grpc::ClientContext* context,
          const std::string& tenant) {
         v1::RewriteMessageRequest request;
         request.set_tenant(tenant);
         v1::RewriteMessageResponse response;
         return v1::LinkService::NewStub(server.channel())
             ->RewriteMessage(context, request, &response);
       }},
      {"ResolveClick", Needs::kCheck, StatusCode::INVALID_ARGUMENT,
       [](ServerProcess& server, grpc::ClientContext* context,
          const std::string& tenant) {
         v1::ResolveClickRequest request;
         request.set_tenant(tenant);
         v1::ResolveClickResponse response;
         return v1::LinkService::NewStub(server.channel())
             ->ResolveClick(context, request, &response);
       }},
      {"UnwrapUrl", Needs::kCheck, StatusCode::INVALID_ARGUMENT,
       [](ServerProcess& server, grpc::ClientContext* context,
          const std::string& tenant) {
         v1::UnwrapUrlRequest request;
         request.set_tenant(tenant);
         v1::UnwrapUrlResponse response;
         return v1::LinkService::NewStub(server.channel())
             ->UnwrapUrl(context, request, &response);
       }},
      {"ListClicks", Needs::kAdminRead, StatusCode::OK,
       [](ServerProcess& server, grpc::ClientContext* context,
          const std::string&) {
         v1::ListClicksRequest request;
         v1::ListClicksResponse response;
         return v1::LinkService::NewStub(server.channel())
             ->ListClicks(context, request, &response);
       }},
  };
}

// Who calls, and what each kind of method answers them.
struct Caller {
  std::string name;
  std::string token;   // empty: no authorization metadata
  std::string tenant;  // the tenant the checks name
  StatusCode check;    // for URL checks; OK means "allowed"
  StatusCode admin_read;
  StatusCode admin_write;
};

class SecurityTest : public ::testing::Test {
 protected:
  std::string data_dir() const { return dir_.path() + "/var"; }
  std::string Path(const std::string& name) const {
    return dir_.path() + "/" + name;
  }
  // Writes `text` as a config file and returns the flags that load it.
  std::vector<std::string> Config(const std::string& text) {
    const std::string path = Path("lureguard.textproto");
    std::ofstream(path) << text;
    return {"--config", path};
  }
  testing::TempDir dir_;
};

TEST_F(SecurityTest, EveryRpcRefusesEachCallerItMustAndAdmitsTheOthers) {
  ServerProcess server(data_dir());
  ASSERT_TRUE(server.WaitServing());
  const std::string verdict = CreateKey(server, {"gw", "--role", "verdict"});
  const std::string readonly =
      CreateKey(server, {"auditor", "--role", "readonly-admin"});
  const std::string bound =
      CreateKey(server, {"acme-gw", "--role", "verdict", "--tenant", "acme"});
  const std::string revoked = CreateKey(server, {"old", "--role", "admin"});
  ASSERT_EQ(Cli(server.address(), {"keys", "revoke", "old"}).exit_code, 0);

  const StatusCode kOk = StatusCode::OK;
  const StatusCode kUnauth = StatusCode::UNAUTHENTICATED;
  const StatusCode kDenied = StatusCode::PERMISSION_DENIED;
  const std::vector<Caller> callers = {
      {"no key", "", "", kUnauth, kUnauth, kUnauth},
      {"unknown key", "lg_0123456789abcdef_forged", "", kUnauth, kUnauth,
       kUnauth},
      {"malformed header", "not-a-bearer", "", kUnauth, kUnauth, kUnauth},
      {"revoked key", revoked, "", kUnauth, kUnauth, kUnauth},
      {"verdict key", verdict, "", kOk, kDenied, kDenied},
      {"verdict key, any tenant", verdict, "acme", kOk, kDenied, kDenied},
      {"readonly-admin key", readonly, "", kDenied, kOk, kDenied},
      {"tenant-bound key, own tenant", bound, "acme", kOk, kDenied, kDenied},
      {"tenant-bound key, no tenant", bound, "", kOk, kDenied, kDenied},
      {"tenant-bound key, other tenant", bound, "globex", kDenied, kDenied,
       kDenied},
      {"admin key", server.token(), "", kOk, kOk, kOk},
  };
  // The table must cover every method of these services: a new RPC without
  // a row fails here.
  std::set<std::string> in_services;
  for (const char* name :
       {"lureguard.v1.UrlService", "lureguard.v1.AdminService",
        "lureguard.v1.LinkService"}) {
    const google::protobuf::ServiceDescriptor* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            name);
    ASSERT_NE(service, nullptr) << name;
    for (int i = 0; i < service->method_count(); ++i) {
      in_services.insert(service->method(i)->name());
    }
  }
  std::set<std::string> in_table;
  for (const Rpc& rpc : EveryRpc()) in_table.insert(rpc.name);
  EXPECT_EQ(in_table, in_services);

  int cells = 0;
  for (const Rpc& rpc : EveryRpc()) {
    for (const Caller& caller : callers) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(30));
      if (caller.name == "malformed header") {
        context.AddMetadata("authorization", caller.token);
      } else if (!caller.token.empty()) {
        context.AddMetadata("authorization", "Bearer " + caller.token);
      }
      StatusCode want = rpc.needs == Needs::kCheck       ? caller.check
                        : rpc.needs == Needs::kAdminRead ? caller.admin_read
                                                         : caller.admin_write;
      if (want == kOk) want = rpc.allowed;
      grpc::Status status = rpc.call(server, &context, caller.tenant);
      EXPECT_EQ(status.error_code(), want) << rpc.name << " by " << caller.name
                                           << ": " << status.error_message();
      ++cells;
    }
  }
  EXPECT_EQ(cells, static_cast<int>(in_services.size() * callers.size()));
  EXPECT_EQ(server.Stop(), 0);
}

// ---- TLS ------------------------------------------------------------------

// Certificates made by the openssl tool: two CAs, a server certificate for
// 127.0.0.1 from the first, client certificates from each.
class Pki {
 public:
  explicit Pki(std::string dir) : dir_(std::move(dir)) {}

  ::testing::AssertionResult Make() {
    if (auto r = MakeCa("ca"); !r) return r;
    if (auto r = MakeCa("other-ca"); !r) return r;
    std::ofstream(dir_ + "/server.ext")
        << "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
           "extendedKeyUsage=serverAuth\n";
    std::ofstream(dir_ + "/client.ext") << "extendedKeyUsage=clientAuth\n";
    if (auto r = MakeLeaf("server", "lureguard.test", "ca", "server.ext"); !r) {
      return r;
    }
    if (auto r = MakeLeaf("mail-gw", "mail-gw", "ca", "client.ext"); !r) {
      return r;
    }
    if (auto r = MakeLeaf("stranger", "stranger", "ca", "client.ext"); !r) {
      return r;
    }
    return MakeLeaf("forged", "mail-gw", "other-ca", "client.ext");
  }

  std::string Cert(const std::string& name) const {
    return absl::StrCat(dir_, "/", name, ".pem");
  }
  std::string Key(const std::string& name) const {
    return absl::StrCat(dir_, "/", name, ".key");
  }

  // Client credentials trusting `ca`, with `client`'s certificate if set.
  std::shared_ptr<grpc::ChannelCredentials> Credentials(
      const std::string& ca, const std::string& client = "") const {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = ReadFile(Cert(ca));
    if (!client.empty()) {
      options.pem_cert_chain = ReadFile(Cert(client));
      options.pem_private_key = ReadFile(Key(client));
    }
    return grpc::SslCredentials(options);
  }

 private:
  ::testing::AssertionResult Openssl(std::vector<std::string> args) {
    args.insert(args.begin(), LUREGUARD_OPENSSL_TOOL);
    testing::RunResult run = testing::Run(args);
    if (run.exit_code != 0) {
      return ::testing::AssertionFailure()
             << absl::StrJoin(args, " ") << ": " << run.err;
    }
    return ::testing::AssertionSuccess();
  }
  ::testing::AssertionResult MakeCa(const std::string& name) {
    return Openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj",
                    "/CN=" + name, "-keyout", Key(name), "-out", Cert(name)});
  }
  ::testing::AssertionResult MakeLeaf(const std::string& name,
                                      const std::string& cn,
                                      const std::string& ca,
                                      const std::string& ext) {
    if (auto r =
            Openssl({"req", "-newkey", "ec", "-pkeyopt",
                     "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=" + cn,
                     "-keyout", Key(name), "-out", dir_ + "/" + name + ".csr"});
        !r) {
      return r;
    }
    return Openssl({"x509", "-req", "-in", dir_ + "/" + name + ".csr", "-CA",
                    Cert(ca), "-CAkey", Key(ca), "-CAcreateserial", "-days",
                    "2", "-extfile", dir_ + "/" + ext, "-out", Cert(name)});
  }

  std::string dir_;
};

grpc::Status CheckOver(std::shared_ptr<grpc::ChannelCredentials> credentials,
                       const std::string& address, const std::string& token) {
  auto channel = grpc::CreateChannel(address, credentials);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
  v1::CheckUrlRequest request;
  request.set_url("http://a.test/");
  v1::CheckUrlResponse response;
  return v1::UrlService::NewStub(channel)->CheckUrl(&context, request,
                                                    &response);
}

grpc::Status ListOver(std::shared_ptr<grpc::ChannelCredentials> credentials,
                      const std::string& address) {
  auto channel = grpc::CreateChannel(address, credentials);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  v1::ListApiKeysRequest request;
  v1::ListApiKeysResponse response;
  return v1::AdminService::NewStub(channel)->ListApiKeys(&context, request,
                                                         &response);
}

TEST_F(SecurityTest, TlsHandshakesAndClientCertificatesMapToKeys) {
  Pki pki(dir_.path());
  ASSERT_TRUE(pki.Make());
  ServerProcess server(
      data_dir(),
      Config(absl::StrCat("tls { cert_file: '", pki.Cert("server"),
                          "' key_file: '", pki.Key("server"),
                          "' client_ca_file: '", pki.Cert("ca"), "' }")),
      pki.Credentials("ca"));
  ASSERT_TRUE(server.WaitServing());
  const std::string address = server.address();

  // Good handshake, bearer token.
  grpc::Status status =
      CheckOver(pki.Credentials("ca"), address, server.token());
  EXPECT_TRUE(status.ok()) << status.error_message();
  // A client that trusts another CA refuses the server's certificate.
  EXPECT_EQ(CheckOver(pki.Credentials("other-ca"), address, server.token())
                .error_code(),
            StatusCode::UNAVAILABLE);
  // A plaintext client gets no answer from a TLS port.
  EXPECT_EQ(
      CheckOver(grpc::InsecureChannelCredentials(), address, server.token())
          .error_code(),
      StatusCode::UNAVAILABLE);

  // mTLS identity: the CLI, itself over TLS, maps the CN to a verdict key.
  testing::RunResult create =
      Cli(address, {"--ca", pki.Cert("ca"), "keys", "create", "mail-gw",
                    "--role", "verdict", "--client-subject", "mail-gw"});
  ASSERT_EQ(create.exit_code, 0) << create.err;
  status = CheckOver(pki.Credentials("ca", "mail-gw"), address, "");
  EXPECT_TRUE(status.ok()) << status.error_message();
  testing::RunResult keys =
      Cli(address, {"--ca", pki.Cert("ca"), "keys", "ls"});
  EXPECT_THAT(keys.out, HasSubstr("CLIENT SUBJECT"));
  EXPECT_THAT(keys.out, ::testing::ContainsRegex("mail-gw .* mail-gw\n"));
  status = ListOver(pki.Credentials("ca", "mail-gw"), address);
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("'mail-gw' has role verdict"));
  // A verified certificate whose CN no key names is no identity.
  status = CheckOver(pki.Credentials("ca", "stranger"), address, "");
  EXPECT_EQ(status.error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("'stranger'"));
  // The same CN from a CA the server does not trust fails the handshake.
  EXPECT_EQ(
      CheckOver(pki.Credentials("ca", "forged"), address, "").error_code(),
      StatusCode::UNAVAILABLE);
  // A bad token is refused even with a good certificate.
  EXPECT_EQ(CheckOver(pki.Credentials("ca", "mail-gw"), address,
                      "lg_0123456789abcdef_forged")
                .error_code(),
            StatusCode::UNAUTHENTICATED);

  // The CLI with a client certificate and no token: an admin key mapped to
  // the stranger's CN reads the audit log.
  ASSERT_EQ(Cli(address, {"--ca", pki.Cert("ca"), "keys", "create", "ops",
                          "--role", "admin", "--client-subject", "stranger"})
                .exit_code,
            0);
  testing::RunResult audit =
      Cli(address, {"--token", "", "--ca", pki.Cert("ca"), "--cert",
                    pki.Cert("stranger"), "--key", pki.Key("stranger"), "audit",
                    "ls", "-o", "json"});
  EXPECT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_THAT(audit.out, HasSubstr("\"target\":\"key:ops\""));
  testing::RunResult plaintext_cli =
      Cli(address, {"--token", "", "status", "--timeout", "5s"});
  EXPECT_EQ(plaintext_cli.exit_code, 2);
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(SecurityTest, RequiredClientCertificatesRefuseClientsWithout) {
  Pki pki(dir_.path());
  ASSERT_TRUE(pki.Make());
  ServerProcess server(
      data_dir(),
      Config(absl::StrCat("tls { cert_file: '", pki.Cert("server"),
                          "' key_file: '", pki.Key("server"),
                          "' client_ca_file: '", pki.Cert("ca"),
                          "' require_client_cert: true }")),
      pki.Credentials("ca", "stranger"));
  ASSERT_TRUE(server.WaitServing());
  EXPECT_EQ(CheckOver(pki.Credentials("ca"), server.address(), server.token())
                .error_code(),
            StatusCode::UNAVAILABLE);
  grpc::Status status = CheckOver(pki.Credentials("ca", "stranger"),
                                  server.address(), server.token());
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(SecurityTest, BadTlsFilesStopTheStartNamingTheField) {
  Pki pki(dir_.path());
  ASSERT_TRUE(pki.Make());
  auto start = [&](const std::string& config) {
    std::vector<std::string> argv = {LUREGUARD_SERVER_BINARY, "--listen",
                                     "127.0.0.1:0", "--data_dir", data_dir()};
    for (const std::string& flag : Config(config)) argv.push_back(flag);
    return testing::Run(argv);
  };
  testing::RunResult missing =
      start(absl::StrCat("tls { cert_file: '", Path("none.pem"),
                         "' key_file: '", pki.Key("server"), "' }"));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("tls.cert_file: '" + Path("none.pem") +
                                     "' cannot be read"));
  testing::RunResult mismatch =
      start(absl::StrCat("tls { cert_file: '", pki.Cert("server"),
                         "' key_file: '", pki.Key("mail-gw"), "' }"));
  EXPECT_EQ(mismatch.exit_code, 1);
  EXPECT_THAT(mismatch.err, HasSubstr("tls.key_file: '" + pki.Key("mail-gw") +
                                      "' is not the key of the certificate"));
  testing::RunResult not_pem =
      start(absl::StrCat("tls { cert_file: '", Path("server.ext"),
                         "' key_file: '", pki.Key("server"), "' }"));
  EXPECT_EQ(not_pem.exit_code, 1);
  EXPECT_THAT(not_pem.err, HasSubstr("holds no PEM certificate"));
  testing::RunResult no_ca = start(
      absl::StrCat("tls { cert_file: '", pki.Cert("server"), "' key_file: '",
                   pki.Key("server"), "' require_client_cert: true }"));
  EXPECT_EQ(no_ca.exit_code, 1);
  EXPECT_THAT(no_ca.err, HasSubstr("tls.client_ca_file: is required"));
}

TEST_F(SecurityTest, PlaintextIsServedOnlyOnLoopbackUnlessAllowed) {
  testing::RunResult refused =
      testing::Run({LUREGUARD_SERVER_BINARY, "--listen", "0.0.0.0:0",
                    "--data_dir", data_dir()});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err,
              HasSubstr("listen: '0.0.0.0:0' is not a loopback address"));
  // A name is not taken on trust: it could resolve anywhere.
  refused = testing::Run({LUREGUARD_SERVER_BINARY, "--listen", "127.example:0",
                          "--data_dir", data_dir()});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("is not a loopback address"));

  ServerProcess allowed(data_dir(), {"--listen", "0.0.0.0:0", "--config",
                                     Config("allow_plaintext: true")[1]});
  ASSERT_TRUE(allowed.WaitListening());
  EXPECT_THAT(allowed.address(), ::testing::StartsWith("0.0.0.0:"));
  EXPECT_EQ(allowed.Stop(), 0);
}

// ---- Limits ---------------------------------------------------------------

TEST_F(SecurityTest, ARateLimitedKeyGetsPushbackAndRecovers) {
  // 2 calls a second, 3 at once: the fourth call in a row is refused and
  // told to wait up to 500 ms. The slow refill keeps a loaded machine from
  // refilling a token between calls.
  ServerProcess server(
      data_dir(), Config("rate_limit { requests_per_second: 2 burst: 3 }"));
  ASSERT_TRUE(server.WaitServing());
  auto call = [&](std::string* pushback) {
    auto context = Context(server);
    v1::CheckUrlRequest request;
    request.set_url("http://a.test/");
    v1::CheckUrlResponse response;
    grpc::Status status =
        server.url()->CheckUrl(context.get(), request, &response);
    const auto& trailers = context->GetServerTrailingMetadata();
    auto it = trailers.find("grpc-retry-pushback-ms");
    if (pushback != nullptr && it != trailers.end()) {
      *pushback = std::string(it->second.data(), it->second.size());
    }
    return status;
  };
  grpc::Status last;
  std::string pushback;
  int admitted = 0;
  for (int i = 0; i < 10; ++i) {
    last = call(&pushback);
    if (!last.ok()) break;
    ++admitted;
  }
  ASSERT_EQ(last.error_code(), StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_GE(admitted, 3);
  EXPECT_THAT(last.error_message(), HasSubstr("over its rate limit"));
  int64_t wait_ms = 0;
  ASSERT_TRUE(absl::SimpleAtoi(pushback, &wait_ms)) << pushback;
  EXPECT_GT(wait_ms, 0);
  EXPECT_LE(wait_ms, 500);
  // Waiting as told is enough.
  std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
  grpc::Status recovered = call(nullptr);
  EXPECT_TRUE(recovered.ok()) << recovered.error_message();
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(SecurityTest, AStreamWithoutADeadlineEndsAtTheDefaultOne) {
  ServerProcess server(data_dir(),
                       Config("limits { default_deadline { seconds: 1 } }"));
  ASSERT_TRUE(server.WaitServing());
  {
    grpc::ClientContext context;  // no deadline
    context.AddMetadata("authorization", "Bearer " + server.token());
    // Should the server not end the stream, this ends the test instead of
    // letting it hang.
    absl::Notification done;
    std::thread watchdog([&] {
      if (!done.WaitForNotificationWithTimeout(absl::Seconds(30))) {
        context.TryCancel();
      }
    });
    auto stub = server.url();
    auto stream = stub->StreamCheckUrls(&context);
    v1::StreamCheckUrlsRequest request;
    request.set_url("http://a.test/");
    ASSERT_TRUE(stream->Write(request));
    v1::StreamCheckUrlsResponse response;
    ASSERT_TRUE(stream->Read(&response));
    EXPECT_EQ(response.result().verdict().action(), v1::ALLOW);
    // Then the client goes quiet; the server ends the stream.
    EXPECT_FALSE(stream->Read(&response));
    grpc::Status status = stream->Finish();
    done.Notify();
    watchdog.join();
    EXPECT_EQ(status.error_code(), StatusCode::DEADLINE_EXCEEDED)
        << status.error_message();
    EXPECT_EQ(status.error_message(), "the stream outlived its deadline");
  }
  EXPECT_EQ(server.Stop(), 0);
}

// ---- Audit ----------------------------------------------------------------

TEST_F(SecurityTest, EveryAdminChangeIsAuditedWithItAndFailuresAreNot) {
  ServerProcess server(data_dir());
  ASSERT_TRUE(server.WaitServing());
  const std::string address = server.address();
  auto cli = [&](std::vector<std::string> args) {
    testing::RunResult run = Cli(address, args);
    EXPECT_EQ(run.exit_code, 0) << absl::StrJoin(args, " ") << ": " << run.err;
    return run;
  };
  cli({"blocklist", "add", "audited.test", "--reason", "kit"});
  cli({"blocklist", "rm", "audited.test"});
  cli({"brands", "add", "Acme", "--domain", "acme.example"});
  cli({"brands", "rm", "Acme"});
  CreateKey(server, {"auditor", "--role", "readonly-admin"});
  cli({"keys", "revoke", "auditor"});
  const std::string reader =
      CreateKey(server, {"reader", "--role", "readonly-admin"});

  // A failing import changes nothing and leaves no record.
  const std::string bad_import = dir_.path() + "/bad.txt";
  std::ofstream(bad_import) << "good.test\nnot a domain\n";
  testing::RunResult import =
      Cli(address, {"blocklist", "import", bad_import, "--format", "domains"});
  EXPECT_EQ(import.exit_code, 2);
  // A removal of nothing is not a change either.
  EXPECT_EQ(Cli(address, {"blocklist", "rm", "absent.test"}).exit_code, 2);
  // Nor is a denied one.
  testing::RunResult denied =
      Cli(address, {"--token", reader, "blocklist", "add", "denied.test"});
  EXPECT_EQ(denied.exit_code, 2);

  testing::RunResult ls =
      Cli(address, {"--token", reader, "audit", "ls", "-o", "json"});
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  std::vector<std::string> lines =
      absl::StrSplit(ls.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 7u) << ls.out;
  // Newest first.
  EXPECT_THAT(lines[0], HasSubstr("\"method\":\"CreateApiKey\""));
  EXPECT_THAT(lines[0], HasSubstr("\"target\":\"key:reader\""));
  EXPECT_THAT(lines[1], HasSubstr("\"method\":\"RevokeApiKey\""));
  EXPECT_THAT(lines[1], HasSubstr("\"before\":\"role=readonly-admin\""));
  EXPECT_THAT(lines[3], HasSubstr("\"method\":\"DeleteBrand\""));
  EXPECT_THAT(lines[3], HasSubstr("\"before\":\"domains=acme.example"));
  EXPECT_THAT(lines[5], HasSubstr("\"method\":\"DeleteListEntry\""));
  EXPECT_THAT(lines[6], HasSubstr("\"method\":\"CreateListEntry\""));
  EXPECT_THAT(lines[6], HasSubstr("\"target\":\"blocklist:audited.test\""));
  EXPECT_THAT(lines[6],
              HasSubstr("\"after\":\"domain audited.test reason=kit\""));
  EXPECT_THAT(lines[6], HasSubstr("\"actor\":\"admin\""));
  EXPECT_THAT(lines[6], HasSubstr("\"actorRole\":\"admin\""));
  EXPECT_THAT(ls.out, ::testing::Not(HasSubstr("good.test")));
  EXPECT_THAT(ls.out, ::testing::Not(HasSubstr("denied.test")));

  // The import wrote nothing.
  testing::RunResult entries = cli({"blocklist", "ls", "-o", "json"});
  EXPECT_THAT(entries.out, ::testing::Not(HasSubstr("good.test")));

  // Table form, a limit and a filter; a verdict key may not read the log.
  testing::RunResult table = cli({"audit", "ls", "--limit", "2"});
  std::vector<std::string> rows =
      absl::StrSplit(table.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(rows.size(), 3u) << table.out;
  EXPECT_THAT(rows[0], HasSubstr("METHOD"));
  EXPECT_THAT(rows[1], HasSubstr("CreateApiKey"));
  testing::RunResult filtered =
      cli({"audit", "ls", "--method", "DeleteBrand", "-o", "json"});
  EXPECT_EQ(std::count(filtered.out.begin(), filtered.out.end(), '\n'), 1)
      << filtered.out;
  const std::string verdict = CreateKey(server, {"gw", "--role", "verdict"});
  testing::RunResult refused =
      Cli(address, {"--token", verdict, "audit", "ls"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("PERMISSION_DENIED"));

  // A good import is one record, and its entries keep the reason and
  // tenant given with the first message.
  const std::string good_import = dir_.path() + "/good.txt";
  std::ofstream(good_import) << "one.test\ntwo.test\n";
  cli({"blocklist", "import", good_import, "--format", "domains", "--reason",
       "bulk", "--tenant", "acme"});
  testing::RunResult imported =
      cli({"audit", "ls", "--method", "ImportListEntries", "-o", "json"});
  EXPECT_THAT(imported.out, HasSubstr("\"tenant\":\"acme\""));
  EXPECT_THAT(imported.out,
              HasSubstr("\"after\":\"2 entries, format domains reason=bulk\""));
  testing::RunResult acme =
      cli({"blocklist", "ls", "--tenant", "acme", "-o", "json"});
  EXPECT_THAT(acme.out, HasSubstr("\"value\":\"one.test\""));
  EXPECT_THAT(acme.out, HasSubstr("\"reason\":\"bulk\""));
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(SecurityTest, FeedAndBrandImportChangesAreAuditedOnceEach) {
  absl::StatusOr<std::unique_ptr<testing::HttpTestServer>> http =
      testing::HttpTestServer::Start();
  ASSERT_TRUE(http.ok()) << http.status();
  testing::HttpTestResponse feed;
  feed.body = "phish-a.test\nphish-b.test\n";
  (*http)->SetResponse("/feed.txt", feed);
  ServerProcess server(data_dir(), {"--allow_private_targets"});
  ASSERT_TRUE(server.WaitServing());
  const std::string address = server.address();
  auto cli = [&](std::vector<std::string> args) {
    testing::RunResult run = Cli(address, args);
    EXPECT_EQ(run.exit_code, 0) << absl::StrJoin(args, " ") << ": " << run.err;
    return run;
  };
  // Adding a feed writes its config and then fetches it: one action, one
  // record.
  cli({"feeds", "add", "local", "--url", (*http)->Url("/feed.txt"), "--format",
       "domains"});
  cli({"feeds", "refresh", "local"});
  cli({"feeds", "rm", "local"});
  const std::string brands = dir_.path() + "/brands.tsv";
  std::ofstream(brands) << "Acme\tacme\tacme.example\n"
                           "Globex\tglobex\tglobex.example\n";
  cli({"brands", "import", brands});

  testing::RunResult ls = cli({"audit", "ls", "-o", "json"});
  std::vector<std::string> lines =
      absl::StrSplit(ls.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 4u) << ls.out;
  EXPECT_THAT(lines[0], HasSubstr("\"method\":\"ImportBrands\""));
  EXPECT_THAT(lines[0], HasSubstr("\"after\":\"2 brands, format brands\""));
  EXPECT_THAT(lines[1], HasSubstr("\"method\":\"DeleteFeed\""));
  EXPECT_THAT(lines[1],
              HasSubstr("\"before\":\"url=" + (*http)->Url("/feed.txt")));
  EXPECT_THAT(lines[2], HasSubstr("\"method\":\"RefreshFeed\""));
  EXPECT_THAT(lines[3], HasSubstr("\"method\":\"CreateFeed\""));
  EXPECT_THAT(lines[3], HasSubstr("\"target\":\"feed:local\""));
  EXPECT_EQ(server.Stop(), 0);
}

}  // namespace
}  // namespace lureguard
