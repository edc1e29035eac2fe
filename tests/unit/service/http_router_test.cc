#include "server/service/http_router.h"

#include <string>

#include "gtest/gtest.h"
#include "server/service/http_response.h"

namespace lureguard::service {
namespace {

HttpRequest Request(std::string method, std::string target) {
  HttpRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  SplitTarget(request.target, request.path, request.query);
  return request;
}

HttpHandler Named(std::string name) {
  return [name](const HttpRequest&, HttpResponse& response) {
    response.body = name;
  };
}

class HttpRouterTest : public ::testing::Test {
 protected:
  HttpRouterTest() {
    router_.Get("/healthz", Named("healthz"));
    router_.Prefix("/authz", {}, Named("authz"));
    router_.Prefix("/c", {"GET", "POST"}, Named("click"));
  }
  HttpResponse Dispatch(std::string method, std::string target) {
    HttpResponse response;
    router_.Dispatch(Request(std::move(method), std::move(target)), response);
    return response;
  }
  HttpRouter router_;
};

TEST_F(HttpRouterTest, ExactAndPrefixRoutes) {
  EXPECT_EQ(Dispatch("GET", "/healthz?x=1").body, "healthz");
  EXPECT_EQ(Dispatch("HEAD", "/healthz").body, "healthz");
  EXPECT_EQ(Dispatch("DELETE", "/authz/any/path").body, "authz");
  EXPECT_EQ(Dispatch("GET", "/authz").body, "authz");
  EXPECT_EQ(Dispatch("POST", "/c/token").body, "click");
  EXPECT_EQ(Dispatch("GET", "/authzz").status, 404);
  EXPECT_EQ(Dispatch("GET", "/healthz/x").status, 404);
}

TEST_F(HttpRouterTest, AnotherMethodIs405WithAllow) {
  HttpResponse response = Dispatch("POST", "/healthz");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.headers.GetOr("Allow"), "GET, HEAD");
  EXPECT_EQ(Dispatch("PUT", "/c/x").headers.GetOr("Allow"), "GET, POST, HEAD");
}

TEST(PathSegmentAfter, TakesExactlyOneSegment) {
  EXPECT_EQ(PathSegmentAfter("/c/abc", "/c"), "abc");
  EXPECT_EQ(PathSegmentAfter("/c/", "/c"), "");
  EXPECT_EQ(PathSegmentAfter("/c/a/b", "/c"), std::nullopt);
  EXPECT_EQ(PathSegmentAfter("/c", "/c"), std::nullopt);
  EXPECT_EQ(PathSegmentAfter("/cx/a", "/c"), std::nullopt);
}

}  // namespace
}  // namespace lureguard::service
