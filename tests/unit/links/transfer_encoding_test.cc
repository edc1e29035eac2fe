// Re-encoding a rewritten body: GMime must decode what we encode to the
// same bytes, and the encoded body must look like the one it replaces.

#include "server/links/internal/transfer_encoding.h"

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

namespace lureguard::links::internal {
namespace {

std::vector<std::string> Lines(const std::string& encoded,
                               const std::string& eol) {
  return absl::StrSplit(encoded, eol);
}

TEST(TransferEncoding, QuotedPrintableRoundTripsThroughGMime) {
  const std::string text =
      "Caf\xc3\xa9 = caf\xc3\xa9\r\n"
      "trailing blanks \t \r\n"
      "a line long enough to need soft breaks: " +
      std::string(150, 'x') + "=" + std::string(80, 'y') +
      "\r\n\r\nno final newline";
  const BodyLayout layout{.eol = "\r\n", .line_length = 76, .final_eol = true};
  const std::string encoded =
      EncodeBody(text, TransferEncoding::kQuotedPrintable, layout);
  EXPECT_EQ(DecodeBody(encoded, TransferEncoding::kQuotedPrintable), text);
  for (const std::string& line : Lines(encoded, "\r\n")) {
    EXPECT_LE(line.size(), 76u) << line;
    EXPECT_EQ(line.find('\n'), std::string::npos);
    if (!line.empty()) {
      EXPECT_NE(line.back(), ' ') << "trailing blank must be encoded";
    }
  }
  EXPECT_NE(encoded.find("trailing blanks \t=20\r\n"), std::string::npos)
      << encoded;
}

TEST(TransferEncoding, QuotedPrintableNeverStartsALineThatReadsAsMarkup) {
  const BodyLayout layout{.eol = "\r\n", .line_length = 76, .final_eol = true};
  const std::string text =
      "--boundary\r\n.\r\nFrom me\r\n" + std::string(75, 'a') + "-x\r\n";
  const std::string encoded =
      EncodeBody(text, TransferEncoding::kQuotedPrintable, layout);
  EXPECT_EQ(encoded, "=2D-boundary\r\n=2E\r\n=46rom me\r\n" +
                         std::string(75, 'a') + "=\r\n=2Dx\r\n");
  EXPECT_EQ(DecodeBody(encoded, TransferEncoding::kQuotedPrintable), text);
}

TEST(TransferEncoding, QuotedPrintableKeepsLfLineEndings) {
  const BodyLayout layout = DetectLayout("a=3D1\nb\n", "\r\n");
  EXPECT_EQ(layout.eol, "\n");
  EXPECT_EQ(EncodeBody("a=1\nb\n", TransferEncoding::kQuotedPrintable, layout),
            "a=3D1\nb\n");
}

TEST(TransferEncoding, Base64KeepsTheOriginalLineLengthAndEnding) {
  const std::string original =
      "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZn\n"
      "aGlqa2xtbm9wcXJzdHV2d3h5eg==\n";
  const BodyLayout layout = DetectLayout(original, "\r\n");
  EXPECT_EQ(layout.eol, "\n");
  EXPECT_EQ(layout.line_length, 44u);
  EXPECT_TRUE(layout.final_eol);
  const std::string decoded = DecodeBody(original, TransferEncoding::kBase64);
  EXPECT_EQ(decoded, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
  EXPECT_EQ(EncodeBody(decoded, TransferEncoding::kBase64, layout), original);
}

TEST(TransferEncoding, Base64KeepsTheLinesBeforeTheFirstChange) {
  const std::string old_data =
      std::string(200, 'a') + "http://x.example/" + std::string(100, 'b');
  const std::string new_data =
      std::string(200, 'a') + "https://click.test/c/1" + std::string(100, 'b');
  const BodyLayout layout{.eol = "\n", .line_length = 76, .final_eol = true};
  // A body from another mailer: same layout, but the encoding of the
  // kept lines is taken byte for byte, not recomputed.
  const std::string original =
      EncodeBody(old_data, TransferEncoding::kBase64, layout);
  const std::string out = ReencodeBody(original, old_data, new_data,
                                       TransferEncoding::kBase64, layout);
  EXPECT_EQ(out, EncodeBody(new_data, TransferEncoding::kBase64, layout));
  // 200 unchanged bytes: three full lines of 57 bytes are kept.
  EXPECT_EQ(out.substr(0, 3 * 77), original.substr(0, 3 * 77));
  EXPECT_EQ(DecodeBody(out, TransferEncoding::kBase64), new_data);
}

TEST(TransferEncoding, UnbrokenBase64StaysOneLine) {
  const BodyLayout layout = DetectLayout("aGVsbG8gd29ybGQ=\r\n", "\n");
  EXPECT_EQ(layout.line_length, 0u);
  EXPECT_EQ(EncodeBody(std::string(100, 'a'), TransferEncoding::kBase64, layout)
                .find("\r\n"),
            136u);
}

}  // namespace
}  // namespace lureguard::links::internal
