// ReadCheckUrlRequest against protobuf's generated parser: the same
// answer (refused, or the same URL and tenant) on hand-made edge cases and
// on random and mutated messages.

#include "server/service/check_url_request.h"

#include <cstdint>
#include <ostream>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "lureguard/internal/lenient_requests.pb.h"
#include "lureguard/v1/url_service.pb.h"

namespace lureguard::service {
namespace {

void AppendVarint(uint64_t value, std::string& out, int padding = 0) {
  while (value >= 0x80 || padding > 0) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
    if (value == 0 && padding > 0) --padding;
    if (value == 0 && padding == 0) break;
  }
  out.push_back(static_cast<char>(value));
}

void AppendTag(uint32_t number, int wire_type, std::string& out) {
  AppendVarint((static_cast<uint64_t>(number) << 3) | wire_type, out);
}

void AppendBytesField(uint32_t number, const std::string& value,
                      std::string& out) {
  AppendTag(number, 2, out);
  AppendVarint(value.size(), out);
  out += value;
}

// What the generated parser makes of `bytes`, in the reader's terms.
struct Parsed {
  bool ok = false;
  std::string url;
  std::string tenant;
  bool operator==(const Parsed&) const = default;
};

void PrintTo(const Parsed& parsed, std::ostream* out) {
  *out << (parsed.ok ? "read, url '" + parsed.url + "', tenant '" +
                           parsed.tenant + "'"
                     : std::string("refused"));
}

Parsed ByProtobuf(const std::string& bytes) {
  internal::LenientCheckUrlRequest request;
  Parsed parsed;
  parsed.ok = request.ParseFromString(bytes);
  if (parsed.ok) {
    parsed.url = request.url();
    parsed.tenant = request.tenant();
  }
  return parsed;
}

Parsed ByReader(const std::string& bytes) {
  CheckUrlRequestView view{.url = "stale", .tenant = "stale"};
  Parsed parsed;
  parsed.ok = ReadCheckUrlRequest(bytes, view);
  if (parsed.ok) {
    parsed.url = std::string(view.url);
    parsed.tenant = std::string(view.tenant);
  }
  return parsed;
}

std::string Describe(const std::string& bytes) {
  std::string hex;
  for (unsigned char c : bytes) {
    hex += "0123456789abcdef"[c >> 4];
    hex += "0123456789abcdef"[c & 15];
  }
  return hex;
}

TEST(ReadCheckUrlRequest, ReadsWhatTheClientWrote) {
  v1::CheckUrlRequest request;
  request.set_url("https://paypa1.com/signin?next=%2F");
  request.set_tenant("acme");
  CheckUrlRequestView view;
  const std::string bytes = request.SerializeAsString();
  ASSERT_TRUE(ReadCheckUrlRequest(bytes, view));
  EXPECT_EQ(view.url, request.url());
  EXPECT_EQ(view.tenant, "acme");
  // Views into the bytes, not copies.
  EXPECT_GE(view.url.data(), bytes.data());
  EXPECT_LE(view.url.data() + view.url.size(), bytes.data() + bytes.size());
  // An empty message is an empty request, not an error.
  ASSERT_TRUE(ReadCheckUrlRequest("", view));
  EXPECT_TRUE(view.url.empty() && view.tenant.empty());
}

TEST(ReadCheckUrlRequest, AgreesWithProtobufOnEdgeCases) {
  std::string last_wins;
  AppendBytesField(1, "http://a.test/", last_wins);
  AppendBytesField(3, "t1", last_wins);
  AppendBytesField(1, "http://b.test/", last_wins);
  std::string wrong_type;  // field 1 as a varint: an unknown field
  AppendTag(1, 0, wrong_type);
  AppendVarint(7, wrong_type);
  AppendBytesField(3, "t", wrong_type);
  std::string non_utf8;  // bytes, not string: the service reports it
  AppendBytesField(1, std::string("http://\xff\xfe.test/", 16), non_utf8);
  std::string padded_length;  // a length in five bytes
  AppendTag(1, 2, padded_length);
  padded_length += std::string("\x83\x80\x80\x80\x00", 5) + "abc";
  std::string long_tag;  // bits past 32 of a five-byte tag are dropped
  long_tag += std::string("\x8a\x80\x80\x80\x70", 5);
  AppendVarint(3, long_tag);
  long_tag += "xyz";
  std::string nested_groups;
  for (int depth = 0; depth < 100; ++depth) AppendTag(9, 3, nested_groups);
  for (int depth = 0; depth < 100; ++depth) AppendTag(9, 4, nested_groups);
  AppendBytesField(1, "http://deep.test/", nested_groups);
  std::string too_deep;
  for (int depth = 0; depth < 101; ++depth) AppendTag(9, 3, too_deep);
  for (int depth = 0; depth < 101; ++depth) AppendTag(9, 4, too_deep);
  std::string unknown_of_each_type;
  AppendTag(2, 0, unknown_of_each_type);
  AppendVarint(UINT64_MAX, unknown_of_each_type);
  AppendTag(4, 1, unknown_of_each_type);
  unknown_of_each_type += std::string(8, '\x01');
  AppendTag(5, 5, unknown_of_each_type);
  unknown_of_each_type += std::string(4, '\x02');
  AppendBytesField(536870911, "max field number", unknown_of_each_type);
  AppendTag(6, 3, unknown_of_each_type);
  AppendBytesField(1, "inside a group is not the URL", unknown_of_each_type);
  AppendTag(6, 4, unknown_of_each_type);
  std::string ten_byte_varint;
  AppendTag(2, 0, ten_byte_varint);
  ten_byte_varint +=
      std::string("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 10);
  std::string eleven_byte_varint;
  AppendTag(2, 0, eleven_byte_varint);
  eleven_byte_varint += std::string(10, '\xff') + std::string(1, '\x01');

  const std::string cases[] = {
      last_wins,
      wrong_type,
      non_utf8,
      padded_length,
      long_tag,
      nested_groups,
      too_deep,
      unknown_of_each_type,
      ten_byte_varint,
      eleven_byte_varint,
      std::string("\x0a\x05"
                  "abc",
                  5),                              // length past the end
      std::string("\x00", 1),                      // tag 0
      std::string("\x0c", 1),                      // end group at the top
      std::string("\x0b\x14", 2),                  // group ended by 2's end
      std::string("\x0b", 1),                      // group never ended
      std::string("\x0e\x00", 2),                  // wire type 6
      std::string("\x0f\x00", 2),                  // wire type 7
      std::string("\x02\x00", 2),                  // field number 0
      std::string("\x03\x04", 2),                  // group numbered 0
      std::string("\x8a", 1),                      // tag cut short
      std::string("\x8a\x80\x80\x80\x80\x01", 6),  // six-byte tag
      std::string("\x0a\x80\x80\x80\x80\x01", 6),  // six-byte length
      std::string("\x0a\x80\x80\x80\x88\x00", 6),  // length over 2^31
      std::string("\x21"
                  "1234567",
                  8),  // fixed64 cut short
      std::string("\x2d"
                  "123",
                  4),              // fixed32 cut short
      std::string("\x10\x80", 2),  // varint cut short
  };
  for (const std::string& bytes : cases) {
    EXPECT_EQ(ByReader(bytes), ByProtobuf(bytes)) << Describe(bytes);
  }
  EXPECT_TRUE(ByReader(nested_groups).ok);
  EXPECT_EQ(ByReader(nested_groups).url, "http://deep.test/");
  EXPECT_FALSE(ByReader(too_deep).ok);
  EXPECT_EQ(ByReader(last_wins).url, "http://b.test/");
  EXPECT_EQ(ByReader(unknown_of_each_type).url, "");
}

// A random message: the two fields among unknown ones of every wire type,
// groups, known numbers with other wire types, non-minimal varints.
class RandomRequests {
 public:
  explicit RandomRequests(uint64_t seed) : random_(seed) {}

  std::string Message() {
    std::string out;
    const int fields = Uniform(0, 6);
    for (int i = 0; i < fields; ++i) Field(out, 0);
    return out;
  }

  // `bytes` with one to three random changes.
  std::string Mutated(std::string bytes) {
    const int changes = Uniform(1, 3);
    for (int i = 0; i < changes; ++i) {
      const size_t at = bytes.empty() ? 0 : Uniform(0, bytes.size() - 1);
      switch (Uniform(0, 3)) {
        case 0:
          if (!bytes.empty()) bytes[at] = static_cast<char>(Uniform(0, 255));
          break;
        case 1:
          bytes.resize(bytes.empty() ? 0 : Uniform(0, bytes.size() - 1));
          break;
        case 2:
          bytes.insert(bytes.begin() + at, static_cast<char>(Uniform(0, 255)));
          break;
        default:
          if (!bytes.empty())
            bytes[at] ^= static_cast<char>(1 << Uniform(0, 7));
          break;
      }
    }
    return bytes;
  }

 private:
  uint64_t Uniform(uint64_t low, uint64_t high) {
    return std::uniform_int_distribution<uint64_t>(low, high)(random_);
  }

  std::string Bytes() {
    std::string out(Uniform(0, 20), '\0');
    for (char& c : out) c = static_cast<char>(Uniform(0, 255));
    return out;
  }

  uint32_t Number() {
    switch (Uniform(0, 3)) {
      case 0:
        return 1;
      case 1:
        return 3;
      case 2:
        return static_cast<uint32_t>(Uniform(1, 20));
      default:
        return static_cast<uint32_t>(Uniform(1, (1u << 29) - 1));
    }
  }

  void Varint(uint64_t value, std::string& out) {
    AppendVarint(value, out, Uniform(0, 4) == 0 ? Uniform(1, 3) : 0);
  }

  void Field(std::string& out, int depth) {
    const uint32_t number = Number();
    int wire_type = static_cast<int>(Uniform(0, 5));
    if (wire_type == 4) wire_type = 2;  // end-group tags close groups only
    Varint((static_cast<uint64_t>(number) << 3) | wire_type, out);
    switch (wire_type) {
      case 0:
        Varint(Uniform(0, UINT64_MAX) >> Uniform(0, 63), out);
        break;
      case 1:
        out += std::string(8, static_cast<char>(Uniform(0, 255)));
        break;
      case 2: {
        const std::string value = Bytes();
        Varint(value.size(), out);
        out += value;
        break;
      }
      case 3: {
        const int inner = depth < 3 ? static_cast<int>(Uniform(0, 3)) : 0;
        for (int i = 0; i < inner; ++i) Field(out, depth + 1);
        Varint((static_cast<uint64_t>(number) << 3) | 4, out);
        break;
      }
      default:
        out += std::string(4, static_cast<char>(Uniform(0, 255)));
        break;
    }
  }

  std::mt19937_64 random_;
};

TEST(ReadCheckUrlRequest, AgreesWithProtobufOnRandomAndMutatedMessages) {
  RandomRequests requests(20261207);
  int accepted = 0, refused = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string bytes = requests.Message();
    if (i % 2 == 1) bytes = requests.Mutated(std::move(bytes));
    const Parsed expected = ByProtobuf(bytes);
    ASSERT_EQ(ByReader(bytes), expected) << Describe(bytes);
    (expected.ok ? accepted : refused)++;
  }
  // Both outcomes are exercised in earnest.
  EXPECT_GT(accepted, 50000);
  EXPECT_GT(refused, 20000);
}

}  // namespace
}  // namespace lureguard::service
