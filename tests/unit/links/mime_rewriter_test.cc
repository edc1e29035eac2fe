// RewriteMessage on real-shaped messages: which parts are rewritten, that
// GMime decodes the result to the expected text, and that every byte
// outside the rewritten bodies is the original byte.

#include <gmime/gmime.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/links/message_rewriter.h"
#include "tests/unit/links/wrapping_handler.h"

namespace lureguard::links {
namespace {

using ::testing::ElementsAre;
using testing::FixedHandler;
using ::testing::HasSubstr;
using testing::Substitute;
using testing::WrappingHandler;

// base64 in 76-character lines, each ending in CRLF, as mailers write it.
std::string Base64Lines(const std::string& data) {
  const std::string encoded = absl::Base64Escape(data);
  std::string out;
  for (size_t i = 0; i < encoded.size(); i += 76) {
    out += encoded.substr(i, 76) + "\r\n";
  }
  return out;
}

// A message as a list of pieces: literal bytes (headers, boundaries) and
// bodies, so a test can check the pieces of the rewritten message.
class MessageBuilder {
 public:
  MessageBuilder& Literal(std::string text) {
    pieces_.push_back({std::move(text), false});
    return *this;
  }
  MessageBuilder& Body(std::string encoded) {
    pieces_.push_back({std::move(encoded), true});
    return *this;
  }
  std::string Build() const {
    std::string out;
    for (const Piece& p : pieces_) out += p.text;
    return out;
  }
  // Checks that `rewritten` has every literal piece at its place and
  // returns the bodies as they are there.
  std::vector<std::string> BodiesOf(const std::string& rewritten) const {
    std::vector<std::string> bodies;
    size_t at = 0;
    for (size_t i = 0; i < pieces_.size(); ++i) {
      const Piece& p = pieces_[i];
      if (!p.body) {
        EXPECT_EQ(rewritten.substr(at, p.text.size()), p.text)
            << "literal piece " << i << " changed";
        at += p.text.size();
        continue;
      }
      size_t end = rewritten.size();
      if (i + 1 < pieces_.size()) {
        end = rewritten.find(pieces_[i + 1].text, at);
        if (end == std::string::npos) {
          ADD_FAILURE() << "piece " << i + 1 << " not found";
          return bodies;
        }
      }
      bodies.push_back(rewritten.substr(at, end - at));
      at = end;
    }
    EXPECT_EQ(at, rewritten.size());
    return bodies;
  }
  // The bodies of the original message.
  std::vector<std::string> Bodies() const {
    std::vector<std::string> bodies;
    for (const Piece& p : pieces_) {
      if (p.body) bodies.push_back(p.text);
    }
    return bodies;
  }

 private:
  struct Piece {
    std::string text;
    bool body;
  };
  std::vector<Piece> pieces_;
};

// What a mail reader shows: each leaf part's MIME type and its text
// decoded to UTF-8 by GMime, in document order.
struct DecodedPart {
  std::string type;
  std::string text;
};

void Decode(GMimeObject* object, std::vector<DecodedPart>* out) {
  if (GMIME_IS_MULTIPART(object)) {
    GMimeMultipart* m = GMIME_MULTIPART(object);
    for (int i = 0; i < g_mime_multipart_get_count(m); ++i) {
      Decode(g_mime_multipart_get_part(m, i), out);
    }
    return;
  }
  char* type =
      g_mime_content_type_get_mime_type(g_mime_object_get_content_type(object));
  DecodedPart part{type, ""};
  g_free(type);
  if (GMIME_IS_TEXT_PART(object)) {
    char* text = g_mime_text_part_get_text(GMIME_TEXT_PART(object));
    if (text != nullptr) part.text = text;
    g_free(text);
  }
  out->push_back(std::move(part));
}

std::vector<DecodedPart> DecodeMessage(const std::string& raw) {
  g_mime_init();  // idempotent; the rewriter may not have run yet
  GMimeStream* stream =
      g_mime_stream_mem_new_with_buffer(raw.data(), raw.size());
  GMimeParser* parser = g_mime_parser_new_with_stream(stream);
  GMimeMessage* message = g_mime_parser_construct_message(parser, nullptr);
  std::vector<DecodedPart> parts;
  if (message != nullptr) {
    Decode(g_mime_message_get_mime_part(message), &parts);
    g_object_unref(message);
  }
  g_object_unref(parser);
  g_object_unref(stream);
  return parts;
}

constexpr char kLatin1Text[] =
    "Caf\xe9 cr\xe8me: https://shop.example/menu?item=1&size=2\r\n"
    "Your order is on its way, track it at https://track.example/very/long/"
    "path/that/needs/a/soft/line/break/abc?id=42.\r\n";
constexpr char kHtml[] =
    "<html><body><p>Hello \xc3\xa9l\xc3\xa8ve,</p>"
    "<a HREF=\"https://shop.example/menu?item=1&amp;size=2\">Menu</a> "
    "<a href=mailto:help@shop.example>Help</a> "
    "<A href='http://track.example/x'>Track</A></body></html>\r\n";
constexpr char kCp1252Html[] =
    "<p>\x93Quoted\x94 price: 5 \x80</p><a href=\"http://deals.example/\">"
    "Deals</a>\r\n";

// multipart/mixed > (multipart/alternative > QP ISO-8859-1 text + base64
// UTF-8 HTML), an 8bit windows-1252 HTML part, a PDF, a text attachment
// and a forwarded message, CRLF throughout.
MessageBuilder InvoiceMessage() {
  MessageBuilder m;
  m.Literal(
       "Return-Path: <billing@shop.example>\r\n"
       "From: \"Shop Billing\" <billing@shop.example>\r\n"
       "To: victim@corp.example\r\n"
       "Subject: =?UTF-8?Q?Votre_facture_=E2=82=AC?=\r\n"
       "Date: Sat, 28 Nov 2026 07:00:00 +0000\r\n"
       "Message-ID: <inv-42@shop.example>\r\n"
       "MIME-Version: 1.0\r\n"
       "Content-Type: multipart/mixed;\r\n\tboundary=\"MIX\"\r\n"
       "\r\n"
       "This is a multi-part message in MIME format.\r\n"
       "--MIX\r\n"
       "Content-Type: multipart/alternative; boundary=ALT\r\n"
       "\r\n"
       "--ALT\r\n"
       "Content-Type: text/plain; charset=\"iso-8859-1\"\r\n"
       "Content-Transfer-Encoding: quoted-printable\r\n"
       "\r\n")
      .Body(
          "Caf=E9 cr=E8me: https://shop.example/menu?item=3D1&size=3D2\r\n"
          "Your order is on its way, track it at https://track.example/very/"
          "long/=\r\npath/that/needs/a/soft/line/break/abc?id=3D42.\r\n")
      .Literal(
          "\r\n--ALT\r\n"
          "Content-Type: text/html; charset=utf-8\r\n"
          "Content-Transfer-Encoding: base64\r\n"
          "\r\n")
      .Body(Base64Lines(kHtml))
      .Literal(
          "\r\n--ALT--\r\n"
          "\r\n--MIX\r\n"
          "Content-Type: text/html; charset=windows-1252\r\n"
          "Content-Transfer-Encoding: 8bit\r\n"
          "\r\n")
      .Body(kCp1252Html)
      .Literal(
          "\r\n--MIX\r\n"
          "Content-Type: application/pdf; name=\"invoice.pdf\"\r\n"
          "Content-Disposition: attachment; filename=\"invoice.pdf\"\r\n"
          "Content-Transfer-Encoding: base64\r\n"
          "\r\n")
      .Body(Base64Lines("%PDF-1.4\n/URI (http://pdf.example/)\n%%EOF\n"))
      .Literal(
          "\r\n--MIX\r\n"
          "Content-Type: text/plain; charset=us-ascii\r\n"
          "Content-Disposition: attachment; filename=\"notes.txt\"\r\n"
          "\r\n")
      .Body("see http://attached.example/ (an attachment: stays)\r\n")
      .Literal(
          "\r\n--MIX\r\n"
          "Content-Type: message/rfc822\r\n"
          "\r\n")
      .Body(
          "From: someone@else.example\r\n"
          "Subject: fwd\r\n"
          "\r\n"
          "forwarded http://forwarded.example/ stays\r\n")
      .Literal("\r\n--MIX--\r\n");
  return m;
}

TEST(RewriteMessage, RewritesEveryInlineTextPartAndKeepsAllOtherBytes) {
  const MessageBuilder builder = InvoiceMessage();
  const std::string original = builder.Build();
  WrappingHandler handler;
  RewriteStats stats;
  absl::StatusOr<std::string> out =
      RewriteMessage(original, RewriteOptions{}, handler, &stats);
  ASSERT_TRUE(out.ok()) << out.status();

  std::vector<std::string> urls, parts;
  for (const FoundLink& link : handler.seen) {
    urls.push_back(link.url);
    parts.push_back(link.part);
  }
  EXPECT_THAT(urls,
              ElementsAre("https://shop.example/menu?item=1&size=2",
                          "https://track.example/very/long/path/that/needs/a/"
                          "soft/line/break/abc?id=42",
                          "https://shop.example/menu?item=1&size=2",
                          "http://track.example/x", "http://deals.example/",
                          // offered to be judged, not written
                          "http://forwarded.example/"));
  EXPECT_THAT(parts, ElementsAre("1.1", "1.1", "1.2", "1.2", "2", "5.1"));
  EXPECT_EQ(stats.links_found, 6);
  EXPECT_EQ(stats.links_replaced, 5);
  EXPECT_EQ(stats.parts_rewritten, 3);

  // Headers, boundaries, preamble: the literal pieces are all in place.
  const std::vector<std::string> bodies = builder.BodiesOf(*out);
  const std::vector<std::string> before = builder.Bodies();
  ASSERT_EQ(bodies.size(), 6u);
  // The 8bit windows-1252 part: only the href bytes changed.
  EXPECT_EQ(bodies[2],
            "<p>\x93Quoted\x94 price: 5 \x80</p><a href=\"https://click.test/"
            "c/5\">Deals</a>\r\n");
  // The attachments and the forwarded message are untouched.
  EXPECT_EQ(bodies[3], before[3]);
  EXPECT_EQ(bodies[4], before[4]);
  EXPECT_EQ(bodies[5], before[5]);
  // Re-encoded parts keep their encoding's look: QP lines <= 76, CRLF.
  EXPECT_THAT(bodies[0],
              HasSubstr("Caf=E9 cr=E8me: https://click.test/c/1\r\n"));
  EXPECT_EQ(bodies[1],
            Base64Lines("<html><body><p>Hello \xc3\xa9l\xc3\xa8ve,</p>"
                        "<a HREF=\"https://click.test/c/3\">Menu</a> "
                        "<a href=mailto:help@shop.example>Help</a> "
                        "<A href=\"https://click.test/c/4\">Track</A>"
                        "</body></html>\r\n"));

  // What a reader sees: the same text with the links replaced.
  const std::vector<DecodedPart> decoded = DecodeMessage(*out);
  ASSERT_EQ(decoded.size(), 6u);
  EXPECT_EQ(decoded[0].type, "text/plain");
  EXPECT_EQ(
      decoded[0].text,
      "Caf\xc3\xa9 cr\xc3\xa8me: https://click.test/c/1\r\n"
      "Your order is on its way, track it at https://click.test/c/2.\r\n");
  EXPECT_EQ(decoded[2].text,
            "<p>\xe2\x80\x9cQuoted\xe2\x80\x9d price: 5 \xe2\x82\xac</p>"
            "<a href=\"https://click.test/c/5\">Deals</a>\r\n");
  const std::vector<DecodedPart> decoded_before = DecodeMessage(original);
  EXPECT_EQ(decoded[4].text, decoded_before[4].text);
  EXPECT_EQ(decoded[5].type, "message/rfc822");
}

TEST(RewriteMessage, QuotedPrintableLinesWithoutALinkKeepTheirBytes) {
  // Another mailer's choices (=43 for 'C', breaks at 40 columns) stay on
  // every line but the one whose link changed.
  const std::string head =
      "From: a@example.com\r\nMIME-Version: 1.0\r\n"
      "Content-Type: text/html; charset=utf-8\r\n"
      "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
  const std::string before =
      "<p>=43af=C3=A9 au lait, the long line that=\r\n"
      " this mailer broke early</p>\r\n";
  const std::string after = "<p>=20Bye</p>=\r\n";
  const std::string original = head + before +
                               "<a href=3D\"http://x.example/\">=\r\n"
                               "x</a>\r\n" +
                               after;
  WrappingHandler handler;
  absl::StatusOr<std::string> out =
      RewriteMessage(original, RewriteOptions{}, handler);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, head + before +
                      "<a href=3D\"https://click.test/c/1\">x</a>\r\n" + after);
}

TEST(RewriteMessage, NoChangedLinkMeansTheSameBytes) {
  const std::string original = InvoiceMessage().Build();
  class KeepAll : public LinkHandler {
   public:
    std::optional<std::string> Replace(const FoundLink& link) override {
      ++calls;
      return link.url;  // the same URL is no change
    }
    int calls = 0;
  } handler;
  RewriteStats stats;
  absl::StatusOr<std::string> out =
      RewriteMessage(original, RewriteOptions{}, handler, &stats);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, original);
  EXPECT_EQ(handler.calls, 6);
  EXPECT_EQ(stats.parts_rewritten, 0);
}

TEST(RewriteMessage, SecondPassWithAnIdempotentHandlerChangesNothing) {
  const std::string original = InvoiceMessage().Build();
  WrappingHandler first, second;
  absl::StatusOr<std::string> once =
      RewriteMessage(original, RewriteOptions{}, first);
  ASSERT_TRUE(once.ok());
  absl::StatusOr<std::string> twice =
      RewriteMessage(*once, RewriteOptions{}, second);
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(second.seen.size(), 6u);  // the forwarded one judged again
  EXPECT_EQ(*twice, *once);
}

TEST(RewriteMessage, PartTypesCanBeSwitchedOff) {
  const std::string original = InvoiceMessage().Build();
  WrappingHandler handler;
  absl::StatusOr<std::string> out =
      RewriteMessage(original, RewriteOptions{.rewrite_html = false}, handler);
  ASSERT_TRUE(out.ok());
  // The text links, and the forwarded message's (judged, not written).
  ASSERT_EQ(handler.seen.size(), 3u);
  EXPECT_EQ(handler.seen[1].part, "1.1");
  EXPECT_EQ(handler.seen[2].part, "5.1");
}

TEST(RewriteMessage, SinglePartMessageWithLfLineEndings) {
  const std::string original =
      "From: a@example.com\nTo: b@example.com\nSubject: hi\n\n"
      "Look: www.example.com/x\nbye\n";
  WrappingHandler handler;
  absl::StatusOr<std::string> out =
      RewriteMessage(original, RewriteOptions{}, handler);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out,
            "From: a@example.com\nTo: b@example.com\nSubject: hi\n\n"
            "Look: https://click.test/c/1\nbye\n");
  ASSERT_EQ(handler.seen.size(), 1u);
  EXPECT_EQ(handler.seen[0].part, "1");
}

// RFC 5322 allows 998 octets a line: a 7bit line that longer click URLs
// push past it would be folded by the next MTA, inside a URL. Such a part
// is sent quoted-printable, with its header said so or added.
TEST(RewriteMessage, ALineGrownPastTheLimitMakesThePartQuotedPrintable) {
  const std::string line = "<p>" + std::string(880, 'x') +
                           " <a href=\"http://a.example/1\">a</a>"
                           " <a href=\"http://b.example/2\">b</a></p>";
  ASSERT_LE(line.size(), 998u);
  const std::string long_url = "https://click.test/c/" + std::string(150, 'k');
  for (const std::string& header :
       {std::string("Content-Transfer-Encoding: 7bit\r\n"), std::string()}) {
    SCOPED_TRACE(header.empty() ? "no header" : header);
    const std::string original =
        "From: a@example.com\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/html; charset=utf-8\r\n" +
        header + "\r\n" + line + "\r\n";
    FixedHandler handler(long_url);
    absl::StatusOr<std::string> out =
        RewriteMessage(original, RewriteOptions{}, handler);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_THAT(
        *out, HasSubstr("Content-Transfer-Encoding: quoted-printable\r\n\r\n"));
    for (size_t start = 0, end; start < out->size(); start = end + 1) {
      end = out->find('\n', start);
      if (end == std::string::npos) end = out->size();
      EXPECT_LE(end - start, 78u) << out->substr(start, 80);
    }
    const std::vector<DecodedPart> parts = DecodeMessage(*out);
    ASSERT_EQ(parts.size(), 1u);
    EXPECT_THAT(parts[0].text, HasSubstr("<a href=\"" + long_url + "\">a</a>"));
    EXPECT_THAT(parts[0].text, HasSubstr(std::string(880, 'x')));
  }
}

// A forwarded message (message/rfc822) keeps every byte, but its links
// are offered, marked, so that they are judged: a lure forwarded as an
// attachment is still a lure.
TEST(RewriteMessage, LinksOfAnAttachedMessageAreOfferedButNotWritten) {
  const std::string original =
      "From: a@example.com\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/plain\r\n\r\nSee below: "
      "https://outer.example/x\r\n"
      "--b\r\nContent-Type: message/rfc822\r\n"
      "Content-Disposition: attachment; filename=\"fwd.eml\"\r\n\r\n"
      "From: c@example.net\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/alternative; boundary=c\r\n\r\n"
      "--c\r\nContent-Type: text/plain\r\n\r\nPay at https://inner.example/t"
      "\r\n--c\r\nContent-Type: text/html\r\n\r\n"
      "<a href=\"https://inner.example/h\">Pay</a>\r\n--c--\r\n"
      "\r\n--b--\r\n";
  WrappingHandler handler;
  RewriteStats stats;
  absl::StatusOr<std::string> out =
      RewriteMessage(original, RewriteOptions{}, handler, &stats);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(handler.seen.size(), 3u);
  EXPECT_EQ(handler.seen[0].url, "https://outer.example/x");
  EXPECT_FALSE(handler.seen[0].in_attached_message);
  EXPECT_EQ(handler.seen[1].url, "https://inner.example/t");
  EXPECT_EQ(handler.seen[1].part, "2.1");
  EXPECT_TRUE(handler.seen[1].in_attached_message);
  EXPECT_EQ(handler.seen[2].url, "https://inner.example/h");
  EXPECT_EQ(handler.seen[2].part, "2.2");
  EXPECT_TRUE(handler.seen[2].in_attached_message);
  // Only the outer link is written.
  EXPECT_EQ(*out, Substitute(original, {{"https://outer.example/x",
                                         "https://click.test/c/1"}}));
  EXPECT_EQ(stats.parts_rewritten, 1);
}

TEST(RewriteMessage, UnrepresentableReplacementSwitchesThePartToUtf8) {
  const std::string original =
      "From: a@example.com\r\nMIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=\"ISO-8859-1\"; format=flowed\r\n"
      "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
      "Gr=FC=DFe http://x.example/\r\n";
  testing::FixedHandler handler("https://click.test/\xe2\x82\xac");
  absl::StatusOr<std::string> out =
      RewriteMessage(original, RewriteOptions{}, handler);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out,
            "From: a@example.com\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=\"utf-8\"; format=flowed\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
            "Gr=C3=BC=C3=9Fe https://click.test/=E2=82=AC\r\n");
  const std::vector<DecodedPart> decoded = DecodeMessage(*out);
  ASSERT_EQ(decoded.size(), 1u);
  EXPECT_EQ(decoded[0].text,
            "Gr\xc3\xbc\xc3\x9f"
            "e https://click.test/\xe2\x82\xac\r\n");
}

TEST(RewriteMessage, AByteUndefinedInThePartsCharsetHidesNoLink) {
  // windows-1251 leaves 0x98 undefined. One such byte used to leave the
  // whole part unconverted, and with it the Cyrillic homograph link
  // ("\xe0\xf0\xf0le" reads "аррle") it carried, which was never offered.
  const std::string original =
      "From: a@example.com\r\nMIME-Version: 1.0\r\n"
      "Content-Type: text/html; charset=windows-1251\r\n"
      "Content-Transfer-Encoding: 8bit\r\n\r\n"
      "<p>\x98</p><a href=\"http://\xe0\xf0\xf0le.com/\">x</a>\r\n";
  WrappingHandler handler;
  absl::StatusOr<std::string> out =
      RewriteMessage(original, RewriteOptions{}, handler);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(handler.seen.size(), 1u);
  EXPECT_EQ(handler.seen[0].url, "http://\xd0\xb0\xd1\x80\xd1\x80le.com/");
  // The undefined byte is written back as it came.
  EXPECT_EQ(*out, Substitute(original, {{"\"http://\xe0\xf0\xf0le.com/\"",
                                         "\"https://click.test/c/1\""}}));

  // A second pass reads the part the same way: the first link, holding
  // the part's only undefined byte, once decided how the rest was read.
  const std::string mixed =
      "From: a@example.com\r\nMIME-Version: 1.0\r\n"
      "Content-Type: text/html; charset=windows-1252\r\n\r\n"
      "<a href=http://a.example/\x8f>a</a>"
      "<a href=http://b.exam\xffple/>b</a>\r\n";
  WrappingHandler first;
  absl::StatusOr<std::string> once =
      RewriteMessage(mixed, RewriteOptions{}, first);
  ASSERT_TRUE(once.ok());
  EXPECT_EQ(first.seen.size(), 2u);
  WrappingHandler second;
  absl::StatusOr<std::string> twice =
      RewriteMessage(*once, RewriteOptions{}, second);
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(*twice, *once);
}

TEST(RewriteMessage, WithoutAContentTypeToEditNewUrlsAreWrittenInAscii) {
  // No Content-Type: US-ASCII text/plain (RFC 2045 5.2), no parameter to
  // switch, so the new URL is percent-encoded (the same URL to a browser).
  const std::string original =
      "From: a@example.com\r\nSubject: x\r\n\r\nsee http://x.example/\r\n";
  testing::FixedHandler handler(
      "https://b\xc3\xbc"
      "cher.example/\xe2\x82\xac");
  absl::StatusOr<std::string> out =
      RewriteMessage(original, RewriteOptions{}, handler);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out,
            "From: a@example.com\r\nSubject: x\r\n\r\n"
            "see https://b%C3%BCcher.example/%E2%82%AC\r\n");
}

TEST(RewriteMessage, UsAsciiPartSwitchesToUtf8ForANonAsciiUrl) {
  const std::string original =
      "From: a@example.com\r\nMIME-Version: 1.0\r\n"
      "Content-Type: text/html; charset=us-ascii\r\n\r\n"
      "<a href=http://x.example/>x</a>\r\n";
  testing::FixedHandler handler("https://click.test/\xc3\xbc");
  absl::StatusOr<std::string> out =
      RewriteMessage(original, RewriteOptions{}, handler);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out,
            "From: a@example.com\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/html; charset=utf-8\r\n\r\n"
            "<a href=\"https://click.test/\xc3\xbc\">x</a>\r\n");
}

TEST(RewriteMessage, SignedPartsAreLeftAlone) {
  const std::string original =
      "From: a@example.com\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/signed; protocol=\"application/pgp-signature\";"
      " micalg=pgp-sha256; boundary=S\r\n\r\n"
      "--S\r\nContent-Type: text/plain\r\n\r\nsigned http://s.example/\r\n"
      "--S\r\nContent-Type: application/pgp-signature\r\n\r\nsig\r\n--S--\r\n";
  WrappingHandler handler;
  absl::StatusOr<std::string> out =
      RewriteMessage(original, RewriteOptions{}, handler);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(handler.seen.empty());
  EXPECT_EQ(*out, original);
}

TEST(RewriteMessage, LimitsAreEnforcedAcrossParts) {
  const std::string original = InvoiceMessage().Build();
  WrappingHandler handler;
  RewriteStats stats;
  absl::StatusOr<std::string> out =
      RewriteMessage(original, RewriteOptions{.max_links = 3}, handler, &stats);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(handler.seen.size(), 3u);
  EXPECT_EQ(stats.links_found, 6);
  EXPECT_EQ(stats.links_over_limit, 3);
  EXPECT_THAT(*out, HasSubstr("<a href=\"http://deals.example/\">"));

  absl::StatusOr<std::string> too_big =
      RewriteMessage(original, RewriteOptions{.max_input_bytes = 100}, handler);
  EXPECT_EQ(too_big.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(too_big.status().message(), HasSubstr("max_input_bytes (100)"));
}

TEST(RewriteMessage, ConcurrentCallsGiveTheSameResult) {
  const std::string original = InvoiceMessage().Build();
  WrappingHandler reference_handler;
  absl::StatusOr<std::string> reference =
      RewriteMessage(original, RewriteOptions{}, reference_handler);
  ASSERT_TRUE(reference.ok());
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (std::string& result : results) {
    threads.emplace_back([&original, &result] {
      for (int i = 0; i < 20; ++i) {
        WrappingHandler handler;
        absl::StatusOr<std::string> out =
            RewriteMessage(original, RewriteOptions{}, handler);
        result = out.ok() ? *out : out.status().ToString();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& result : results) EXPECT_EQ(result, *reference);
}

TEST(RewriteMessage, DeeplyNestedMultipartsAreWalked) {
  constexpr int kDepth = 500;
  std::string message =
      "From: a@example.com\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=b0\r\n\r\n";
  std::string path = "1";
  for (int i = 1; i < kDepth; ++i) {
    message += "--b" + std::to_string(i - 1) +
               "\r\nContent-Type: multipart/mixed; boundary=b" +
               std::to_string(i) + "\r\n\r\n";
    path += ".1";
  }
  message += "--b" + std::to_string(kDepth - 1) +
             "\r\nContent-Type: text/plain\r\n\r\nhttp://deep.example/\r\n";
  WrappingHandler handler;
  absl::StatusOr<std::string> out =
      RewriteMessage(message, RewriteOptions{}, handler);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(handler.seen.size(), 1u);
  EXPECT_EQ(handler.seen[0].part, path);
  EXPECT_EQ(out->substr(out->size() - 24), "https://click.test/c/1\r\n");
}

TEST(RewriteMessage, TextThatIsNotAMessageIsInvalidArgument) {
  WrappingHandler handler;
  absl::StatusOr<std::string> out =
      RewriteMessage("no header here, just text", RewriteOptions{}, handler);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace lureguard::links
