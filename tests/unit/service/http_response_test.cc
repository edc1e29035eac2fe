#include "server/service/http_response.h"

#include "gtest/gtest.h"

namespace lureguard::service {
namespace {

TEST(SerializeHttpResponse, FramesTheBodyAndTheConnection) {
  HttpResponse response;
  response.status = 403;
  response.headers.Set("X-Lureguard-Action", "BLOCK");
  response.headers.Set("Content-Length", "999");  // replaced by the real one
  response.SetContent("BLOCK\n", "text/plain");
  EXPECT_EQ(SerializeHttpResponse(response, {}),
            "HTTP/1.1 403 Forbidden\r\nX-Lureguard-Action: BLOCK\r\n"
            "Content-Type: text/plain\r\nContent-Length: 6\r\n\r\nBLOCK\n");
  EXPECT_EQ(SerializeHttpResponse(response, {.keep_alive = false}),
            "HTTP/1.1 403 Forbidden\r\nX-Lureguard-Action: BLOCK\r\n"
            "Content-Type: text/plain\r\nContent-Length: 6\r\n"
            "Connection: close\r\n\r\nBLOCK\n");
  EXPECT_EQ(
      SerializeHttpResponse(
          response, {.keep_alive = true, .version = 10, .head_request = true}),
      "HTTP/1.0 403 Forbidden\r\nX-Lureguard-Action: BLOCK\r\n"
      "Content-Type: text/plain\r\nContent-Length: 6\r\n"
      "Connection: keep-alive\r\n\r\n");
}

TEST(SerializeHttpResponse, DropsAFieldThatWouldSplitTheAnswer) {
  HttpResponse response;
  response.status = 302;
  response.headers.Set("Location", "https://a.example/\r\nSet-Cookie: x=1");
  response.headers.Set("X-Ok", "fine");
  EXPECT_EQ(SerializeHttpResponse(response, {}),
            "HTTP/1.1 302 Found\r\nX-Ok: fine\r\nContent-Length: 0\r\n\r\n");
}

}  // namespace
}  // namespace lureguard::service
