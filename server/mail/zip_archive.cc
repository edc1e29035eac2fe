#include "server/mail/zip_archive.h"

#include <zip.h>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"

namespace lureguard::mail {
namespace {

// The smallest ZIP archive is its end-of-central-directory record alone
// (APPNOTE.TXT §4.3.16: 22 bytes). Shorter input is refused before libzip,
// which opens a zero-length source as an empty archive.
constexpr size_t kMinArchiveBytes = 22;

// Bytes asked of zip_fread at a time: big enough that the per-call cost
// does not matter, small enough for the stack.
constexpr size_t kReadChunk = 64 * 1024;

// Debian's Abseil has its own string_view type; its functions take that.
absl::string_view AbslView(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

// Closes an archive opened read-only; nothing is written back.
struct ArchiveCloser {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};
using ArchivePtr = std::unique_ptr<zip_t, ArchiveCloser>;

// Closes a member opened for reading.
struct MemberCloser {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};
using MemberPtr = std::unique_ptr<zip_file_t, MemberCloser>;

// Owns a zip_error_t so that its message string lives until it is copied.
class ZipError {
 public:
  ZipError() { zip_error_init(&error_); }
  ~ZipError() { zip_error_fini(&error_); }
  ZipError(const ZipError&) = delete;
  ZipError& operator=(const ZipError&) = delete;

  zip_error_t* get() { return &error_; }
  std::string Message() { return zip_error_strerror(&error_); }

 private:
  zip_error_t error_;
};

// Opens `bytes` as a ZIP archive without copying them; the archive reads
// `bytes` in place, so they must outlive it.
absl::StatusOr<ArchivePtr> OpenArchive(std::string_view bytes) {
  if (bytes.size() < kMinArchiveBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a ZIP archive: ", bytes.size(),
                     " bytes, shorter than an end-of-central-directory "
                     "record (",
                     kMinArchiveBytes, ")"));
  }
  ZipError error;
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(),
                                                  /*freep=*/0, error.get());
  if (source == nullptr) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "ZIP source for ", bytes.size(), " bytes: ", error.Message()));
  }
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, error.get());
  if (archive == nullptr) {
    // On failure the source still belongs to us.
    zip_source_free(source);
    return absl::InvalidArgumentError(
        absl::StrCat("not a ZIP archive: ", error.Message()));
  }
  return ArchivePtr(archive);
}

// Why member `stat` cannot be read at all, known from the central
// directory without inflating anything; "" when it may be readable.
std::string UnreadableReason(const zip_stat_t& stat) {
  if ((stat.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
      stat.encryption_method != ZIP_EM_NONE) {
    return "encrypted";
  }
  if ((stat.valid & ZIP_STAT_COMP_METHOD) &&
      !zip_compression_method_supported(stat.comp_method, /*compress=*/0)) {
    return absl::StrCat("compression method ", stat.comp_method,
                        " not supported");
  }
  return "";
}

// What reading one member gave.
struct MemberRead {
  std::string data;
  bool truncated = false;
  std::string error;  // libzip's message when the stream was bad
};

// Reads member `index` up to `cap` uncompressed bytes. The cap holds
// whatever size the member declares: the loop counts bytes that come out
// of the inflater, never trusts the header, so a member claiming 1 KB that
// inflates to 1 GB costs at most `cap` bytes (and the inflating of them).
MemberRead ReadMember(zip_t* archive, zip_uint64_t index, size_t cap) {
  MemberRead out;
  MemberPtr file(zip_fopen_index(archive, index, 0));
  if (file == nullptr) {
    out.error = zip_strerror(archive);
    return out;
  }
  char chunk[kReadChunk];
  bool at_end = false;
  while (out.data.size() < cap) {
    const size_t want = std::min(kReadChunk, cap - out.data.size());
    const zip_int64_t got = zip_fread(file.get(), chunk, want);
    if (got < 0) {
      out.error = zip_file_strerror(file.get());
      return out;
    }
    if (got == 0) {
      at_end = true;
      break;
    }
    out.data.append(chunk, static_cast<size_t>(got));
  }
  if (!at_end) {
    // At the cap: one more byte says whether the member goes on.
    const zip_int64_t got = zip_fread(file.get(), chunk, 1);
    if (got < 0) {
      out.error = zip_file_strerror(file.get());
      return out;
    }
    out.truncated = got > 0;
  }
  return out;
}

}  // namespace

absl::StatusOr<ZipContents> ReadZip(
    std::string_view bytes, const ZipLimits& limits,
    const std::function<bool(std::string_view name)>& wanted) {
  ASSIGN_OR_RETURN(ArchivePtr archive, OpenArchive(bytes));

  ZipContents out;
  const zip_int64_t entries = zip_get_num_entries(archive.get(), 0);
  out.member_count = entries > 0 ? static_cast<size_t>(entries) : 0;
  const size_t looked_at = std::min(out.member_count, limits.max_members);
  if (looked_at < out.member_count) out.truncated = true;

  size_t total = 0;
  for (size_t i = 0; i < looked_at; ++i) {
    zip_stat_t stat;
    zip_stat_init(&stat);
    // Names are read as UTF-8: libzip converts CP437 names that are not
    // valid UTF-8, so what reaches callers (and protobuf) is always text.
    if (zip_stat_index(archive.get(), i, 0, &stat) != 0 ||
        !(stat.valid & ZIP_STAT_NAME)) {
      out.unreadable.push_back(
          absl::StrCat("entry ", i, ": ", zip_strerror(archive.get())));
      continue;
    }
    const std::string_view name(stat.name);
    if (name.ends_with('/')) continue;  // a directory
    if (std::string reason = UnreadableReason(stat); !reason.empty()) {
      // Reported whatever `wanted` says: a password-protected member is a
      // signal of its own (the password sits in the mail body).
      out.unreadable.push_back(absl::StrCat(AbslView(name), ": ", reason));
      continue;
    }
    if (wanted != nullptr && !wanted(name)) continue;
    if (total >= limits.max_total_bytes) {
      out.truncated = true;
      break;
    }
    const size_t cap =
        std::min(limits.max_member_bytes, limits.max_total_bytes - total);
    MemberRead read = ReadMember(archive.get(), i, cap);
    if (!read.error.empty()) {
      out.unreadable.push_back(absl::StrCat(AbslView(name), ": ", read.error));
      // What inflated before the error is kept: a sender who breaks a
      // member's CRC on purpose must not hide the page from us, and
      // extractors such as 7-Zip hand it out anyway.
      if (read.data.empty()) continue;
      read.truncated = true;
    }
    total += read.data.size();
    if (read.truncated) out.truncated = true;
    out.members.push_back(ZipMember{.name = std::string(name),
                                    .data = std::move(read.data),
                                    .truncated = read.truncated});
  }
  return out;
}

}  // namespace lureguard::mail
