#include "server/login/breached_password_import.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <queue>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/login/internal/store_format.h"

namespace lureguard::login {
namespace {

constexpr size_t kEntryBytes = 24;  // hash and count, as runs store them
// Longer lines are invalid, however the bytes arrive: a real line is at
// most 40 hex digits and a count, and the cap bounds what a line held
// across Add calls may take.
constexpr size_t kMaxLineBytes = 4096;

// Merged records between asks whether the import is still wanted: a
// billion-hash merge stops within a second of its caller giving up.
constexpr int64_t kMergeCheckEvery = int64_t{1} << 20;

constexpr char kRunFilePrefix[] = ".breached-run-";

// How long another host's import files must lie untouched before a start
// here removes them: far longer than any import (a billion hashes merge
// in well under an hour), short enough that a dead replica's files do not
// fill the shared volume.
constexpr std::chrono::hours kForeignLeftoverAge(24);

// stdio buffers for runs and the store: large enough that a billion-hash
// merge makes few system calls, no larger than what they will carry (a
// per-prefix file holds a few thousand hashes), and not zeroed.
class IoBuffer {
 public:
  explicit IoBuffer(uint64_t payload_bytes)
      : size_(static_cast<size_t>(
            std::clamp<uint64_t>(payload_bytes, 4096, 1 << 20))),
        bytes_(new char[size_]) {}
  void AttachTo(std::FILE* file) {
    std::setvbuf(file, bytes_.get(), _IOFBF, size_);
  }

 private:
  size_t size_;
  std::unique_ptr<char[]> bytes_;
};

// This host's name as file names carry it: '-' and anything but letters,
// digits and '_' become '_', so that '-' still separates the fields.
const std::string& HostForFileNames() {
  static const std::string* const host = [] {
    char name[256] = {};
    if (gethostname(name, sizeof(name) - 1) != 0 || name[0] == '\0') {
      return new std::string("unknown");
    }
    std::string tag(name);
    for (char& c : tag) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) c = '_';
    }
    return new std::string(tag);
  }();
  return *host;
}

// Who wrote a leftover: "<pid>@<host>" after `prefix`, or a bare pid in
// names from before hosts were recorded.
struct FileWriter {
  pid_t pid = 0;
  std::optional<std::string> host;
};

std::optional<FileWriter> WriterAfter(absl::string_view name,
                                      absl::string_view prefix) {
  if (!absl::StartsWith(name, prefix)) return std::nullopt;
  name.remove_prefix(prefix.size());
  absl::string_view tag = name.substr(0, name.find('-'));
  FileWriter writer;
  const size_t at = tag.find('@');
  if (at != absl::string_view::npos) {
    writer.host = std::string(tag.substr(at + 1));
    tag = tag.substr(0, at);
  }
  int pid = 0;
  if (!absl::SimpleAtoi(tag, &pid) || pid <= 0) return std::nullopt;
  writer.pid = pid;
  return writer;
}

bool ModifiedBefore(const std::filesystem::path& path,
                    std::filesystem::file_time_type cutoff) {
  std::error_code error;
  const std::filesystem::file_time_type modified =
      std::filesystem::last_write_time(path, error);
  return !error && modified < cutoff;
}

bool ProcessRuns(pid_t pid) { return kill(pid, 0) == 0 || errno == EPERM; }

// Distinguishes the runs of importers running at once in one process.
std::atomic<uint64_t> next_importer_id{0};

bool IsHex(absl::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return absl::ascii_isxdigit(c); });
}

uint64_t FileBytes(std::FILE* file) {
  struct stat info;
  if (file == nullptr || fstat(fileno(file), &info) != 0) return 0;
  return static_cast<uint64_t>(info.st_size);
}

// Reads a sorted run file entry by entry through a buffer.
class RunReader {
 public:
  explicit RunReader(const std::string& path)
      : file_(std::fopen(path.c_str(), "rb")), buffer_(FileBytes(file_)) {
    if (file_ != nullptr) buffer_.AttachTo(file_);
  }
  ~RunReader() {
    if (file_ != nullptr) std::fclose(file_);
  }
  bool ok() const { return file_ != nullptr; }
  bool Next(Sha1& hash, uint32_t& count) {
    uint8_t bytes[kEntryBytes];
    if (std::fread(bytes, 1, kEntryBytes, file_) != kEntryBytes) return false;
    std::memcpy(hash.data(), bytes, 20);
    count = internal::LoadU32(bytes + 20);
    return true;
  }

 private:
  std::FILE* file_;
  IoBuffer buffer_;
};

}  // namespace

BreachedPasswordImporter::BreachedPasswordImporter(Options options)
    : options_(std::move(options)), id_(next_importer_id.fetch_add(1)) {
  run_.reserve(std::max<size_t>(options_.run_bytes / sizeof(Entry), 1024));
}

BreachedPasswordImporter::~BreachedPasswordImporter() {
  for (const std::string& path : run_paths_) std::remove(path.c_str());
}

absl::Status BreachedPasswordImporter::SetPrefix(absl::string_view prefix) {
  if (!prefix.empty() && (prefix.size() != 5 || !IsHex(prefix))) {
    return absl::InvalidArgumentError(
        absl::StrCat("prefix: '", prefix, "' is not 5 hexadecimal characters"));
  }
  prefix_ = absl::AsciiStrToUpper(prefix);
  return absl::OkStatus();
}

absl::Status BreachedPasswordImporter::ParseLine(absl::string_view line) {
  ++lines_;
  if (line.size() > kMaxLineBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "line ", lines_, ": longer than ", kMaxLineBytes, " bytes"));
  }
  line = absl::StripAsciiWhitespace(line);
  if (line.empty()) return absl::OkStatus();
  const size_t colon = line.find(':');
  absl::string_view hex = line.substr(0, colon);
  uint32_t count = 1;
  if (colon != absl::string_view::npos) {
    uint64_t parsed = 0;
    if (!absl::SimpleAtoi(line.substr(colon + 1), &parsed)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line ", lines_, ": the count after ':' is not a decimal number"));
    }
    // Counts above 4 G (none so far: the most common password is seen
    // tens of millions of times) are kept at the maximum.
    count = static_cast<uint32_t>(std::min<uint64_t>(parsed, UINT32_MAX));
  }
  std::string full;
  if (hex.size() == 35 && !prefix_.empty()) {
    full = absl::StrCat(prefix_, hex);
    hex = full;
  }
  std::optional<Sha1> hash = ParseSha1Hex(hex);
  if (!hash.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", lines_, ": expected ",
                     prefix_.empty() ? "40 hex digits (SHA1:COUNT)"
                                     : "35 hex digits (SUFFIX:COUNT) or 40",
                     ", found ", hex.size(), " characters"));
  }
  run_.push_back({*hash, count});
  if (run_.size() == run_.capacity()) return FlushRun();
  return absl::OkStatus();
}

absl::Status BreachedPasswordImporter::Add(absl::string_view bytes) {
  while (!bytes.empty()) {
    const size_t newline = bytes.find('\n');
    if (newline == absl::string_view::npos) {
      partial_.append(bytes.data(), bytes.size());
      if (partial_.size() > kMaxLineBytes) {
        return absl::InvalidArgumentError(absl::StrCat(
            "line ", lines_ + 1, ": longer than ", kMaxLineBytes, " bytes"));
      }
      return absl::OkStatus();
    }
    absl::Status status;
    if (partial_.empty()) {
      status = ParseLine(bytes.substr(0, newline));
    } else {
      partial_.append(bytes.data(), newline);
      status = ParseLine(partial_);
      partial_.clear();
    }
    if (!status.ok()) return status;
    bytes.remove_prefix(newline + 1);
  }
  return absl::OkStatus();
}

absl::Status BreachedPasswordImporter::FlushRun() {
  if (run_.empty()) return absl::OkStatus();
  std::sort(run_.begin(), run_.end(),
            [](const Entry& a, const Entry& b) { return a.hash < b.hash; });
  const std::string path = (std::filesystem::path(options_.work_dir) /
                            absl::StrCat(kRunFilePrefix, FileTag(), "-", id_,
                                         "-", run_paths_.size()))
                               .string();
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write import run '", path, "'"));
  }
  run_paths_.push_back(path);
  IoBuffer buffer(uint64_t{run_.size()} * kEntryBytes);
  buffer.AttachTo(file);
  bool ok = true;
  for (size_t i = 0; i < run_.size() && ok; ++i) {
    // Duplicates within a run collapse to the largest count.
    if (i + 1 < run_.size() && run_[i + 1].hash == run_[i].hash) {
      run_[i + 1].count = std::max(run_[i + 1].count, run_[i].count);
      continue;
    }
    uint8_t bytes[kEntryBytes];
    std::memcpy(bytes, run_[i].hash.data(), 20);
    std::memcpy(bytes + 20, &run_[i].count, 4);
    ok = std::fwrite(bytes, 1, kEntryBytes, file) == kEntryBytes;
  }
  ok = std::fclose(file) == 0 && ok;
  run_.clear();
  if (!ok) {
    return absl::ResourceExhaustedError(
        absl::StrCat("cannot write import run '", path, "' (disk full?)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> BreachedPasswordImporter::Finish(
    const BreachedPasswordStore* existing, const std::string& output,
    absl::Time now, const std::function<bool()>& still_wanted) {
  auto abandoned = [&still_wanted] {
    return still_wanted != nullptr && !still_wanted();
  };
  if (!partial_.empty()) {
    std::string last = std::move(partial_);
    partial_.clear();
    RETURN_IF_ERROR(ParseLine(last));
  }
  RETURN_IF_ERROR(FlushRun());

  // K-way merge of the runs and the current store.
  std::vector<std::unique_ptr<RunReader>> readers;
  for (const std::string& path : run_paths_) {
    readers.push_back(std::make_unique<RunReader>(path));
    if (!readers.back()->ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot read import run '", path, "'"));
    }
  }
  struct Head {
    Sha1 hash;
    uint32_t count;
    size_t source;  // readers.size() means `existing`
  };
  auto later = [](const Head& a, const Head& b) { return a.hash > b.hash; };
  std::priority_queue<Head, std::vector<Head>, decltype(later)> heads(later);
  int64_t existing_next = 0;
  auto advance = [&](size_t source) {
    Head head{{}, 0, source};
    if (source == readers.size()) {
      if (existing == nullptr || existing_next >= existing->size()) return;
      std::tie(head.hash, head.count) = existing->At(existing_next++);
      heads.push(head);
    } else if (readers[source]->Next(head.hash, head.count)) {
      heads.push(head);
    }
  };
  for (size_t i = 0; i <= readers.size(); ++i) advance(i);

  const std::string temp = absl::StrCat(output, ".tmp-", FileTag());
  std::FILE* file = std::fopen(temp.c_str(), "wb");
  if (file == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write '", temp, "'"));
  }
  IoBuffer buffer(uint64_t{1} << 20);
  buffer.AttachTo(file);
  // The header and index go in last, once the bucket sizes are known.
  bool ok = std::fseek(file, internal::kRecordsOffset, SEEK_SET) == 0;
  std::vector<uint64_t> bucket_sizes(internal::kPrefixes, 0);
  int64_t total = 0;
  bool gave_up = false;
  while (!heads.empty() && ok) {
    if (total % kMergeCheckEvery == kMergeCheckEvery - 1 && abandoned()) {
      gave_up = true;
      break;
    }
    Head head = heads.top();
    heads.pop();
    advance(head.source);
    while (!heads.empty() && heads.top().hash == head.hash) {
      head.count = std::max(head.count, heads.top().count);
      const size_t source = heads.top().source;
      heads.pop();
      advance(source);
    }
    uint8_t record[internal::kRecordBytes];
    std::memcpy(record, head.hash.data() + 2, internal::kStoredHashBytes);
    std::memcpy(record + internal::kStoredHashBytes, &head.count, 4);
    ok = std::fwrite(record, 1, sizeof(record), file) == sizeof(record);
    ++bucket_sizes[uint32_t{head.hash[0]} << 8 | head.hash[1]];
    ++total;
  }
  // Header and index, now that the bucket sizes are known.
  std::vector<uint8_t> head_bytes(internal::kRecordsOffset, 0);
  std::memcpy(head_bytes.data(), internal::kMagic, 8);
  const uint64_t count = static_cast<uint64_t>(total);
  const int64_t seconds = absl::ToUnixSeconds(now);
  std::memcpy(head_bytes.data() + 8, &count, 8);
  std::memcpy(head_bytes.data() + 16, &seconds, 8);
  uint64_t start = 0;
  for (uint32_t p = 0; p <= internal::kPrefixes; ++p) {
    std::memcpy(head_bytes.data() + internal::kHeaderBytes + 8 * p, &start, 8);
    if (p < internal::kPrefixes) start += bucket_sizes[p];
  }
  ok = ok && std::fflush(file) == 0 && std::fseek(file, 0, SEEK_SET) == 0 &&
       std::fwrite(head_bytes.data(), 1, head_bytes.size(), file) ==
           head_bytes.size() &&
       std::fflush(file) == 0 && fsync(fileno(file)) == 0;
  ok = std::fclose(file) == 0 && ok;
  if (!ok) {
    std::remove(temp.c_str());
    return absl::ResourceExhaustedError(
        absl::StrCat("cannot write '", temp, "' (disk full?)"));
  }
  // The last word before the swap: a caller gone by now was told the
  // import failed, so the old store stays.
  if (gave_up || abandoned()) {
    std::remove(temp.c_str());
    for (const std::string& path : run_paths_) std::remove(path.c_str());
    run_paths_.clear();
    return absl::CancelledError(
        "the import was abandoned by its caller; the store is unchanged");
  }
  if (std::rename(temp.c_str(), output.c_str()) != 0) {
    std::remove(temp.c_str());
    return absl::FailedPreconditionError(
        absl::StrCat("cannot replace '", output, "'"));
  }
  for (const std::string& path : run_paths_) std::remove(path.c_str());
  run_paths_.clear();
  return total;
}

std::string BreachedPasswordImporter::FileTag() {
  return absl::StrCat(getpid(), "@", HostForFileNames());
}

int64_t BreachedPasswordImporter::RemoveAbandonedFiles(
    const std::string& work_dir, const std::string& output) {
  const std::string temp_prefix =
      absl::StrCat(std::filesystem::path(output).filename().string(), ".tmp-");
  std::error_code error;
  std::filesystem::directory_iterator it(
      std::filesystem::path(work_dir.empty() ? "." : work_dir), error);
  const std::filesystem::file_time_type foreign_cutoff =
      std::filesystem::file_time_type::clock::now() - kForeignLeftoverAge;
  int64_t removed = 0;
  for (; !error && it != std::filesystem::directory_iterator();
       it.increment(error)) {
    const std::string name = it->path().filename().string();
    std::optional<FileWriter> writer = WriterAfter(name, kRunFilePrefix);
    if (!writer.has_value()) writer = WriterAfter(name, temp_prefix);
    if (!writer.has_value()) continue;
    if (!writer->host.has_value() || *writer->host == HostForFileNames()) {
      // Our own pid is a leftover too: nothing of ours imports yet, and in
      // a container the server is pid 1 on every start.
      if (writer->pid != getpid() && ProcessRuns(writer->pid)) continue;
    } else if (!ModifiedBefore(it->path(), foreign_cutoff)) {
      // Another host's (a replica sharing the volume): its processes
      // cannot be asked, but no import runs for a day untouched.
      continue;
    }
    std::error_code size_error;
    const uintmax_t bytes = std::filesystem::file_size(it->path(), size_error);
    if (std::filesystem::remove(it->path(), size_error) && !size_error) {
      removed += static_cast<int64_t>(bytes);
    }
  }
  return removed;
}

}  // namespace lureguard::login
