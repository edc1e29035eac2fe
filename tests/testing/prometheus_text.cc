#include "tests/testing/prometheus_text.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace lureguard::testing {
namespace {

bool IsNameChar(char c, bool first) {
  return absl::ascii_isalpha(static_cast<unsigned char>(c)) || c == '_' ||
         c == ':' ||
         (!first && absl::ascii_isdigit(static_cast<unsigned char>(c)));
}

// The family a sample belongs to: histograms add _bucket, _sum, _count.
std::string FamilyOf(absl::string_view name,
                     const std::set<std::string, std::less<>>& typed) {
  if (typed.count(name) > 0) return std::string(name);
  for (absl::string_view suffix : {"_bucket", "_sum", "_count"}) {
    if (absl::EndsWith(name, suffix)) {
      absl::string_view base = name.substr(0, name.size() - suffix.size());
      if (typed.count(base) > 0) return std::string(base);
    }
  }
  return std::string(name);
}

}  // namespace

absl::StatusOr<PrometheusSamples> ParsePrometheusText(absl::string_view text) {
  PrometheusSamples samples;
  std::set<std::string, std::less<>> typed;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    auto error = [&](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line_number, ": ", why, ": '", line, "'"));
    };
    if (line.empty()) continue;
    if (absl::StartsWith(line, "# TYPE ")) {
      std::vector<absl::string_view> parts =
          absl::StrSplit(line.substr(7), ' ');
      if (parts.size() != 2) return error("malformed TYPE line");
      static const std::set<absl::string_view> kTypes = {
          "counter", "gauge", "histogram", "summary", "untyped"};
      if (kTypes.count(parts[1]) == 0) return error("unknown type");
      typed.insert(std::string(parts[0]));
      continue;
    }
    if (absl::StartsWith(line, "#")) continue;  // HELP and comments

    size_t i = 0;
    while (i < line.size() && IsNameChar(line[i], i == 0)) ++i;
    if (i == 0) return error("no metric name");
    const std::string name(line.substr(0, i));
    std::vector<std::pair<std::string, std::string>> labels;
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        size_t start = i;
        while (i < line.size() && IsNameChar(line[i], i == start)) ++i;
        if (i == start || i + 1 >= line.size() || line[i] != '=' ||
            line[i + 1] != '"') {
          return error("malformed label");
        }
        std::string label_name(line.substr(start, i - start));
        i += 2;
        std::string value;
        while (i < line.size() && line[i] != '"') {
          if (line[i] == '\\' && i + 1 < line.size()) {
            ++i;
            value.push_back(line[i] == 'n' ? '\n' : line[i]);
          } else {
            value.push_back(line[i]);
          }
          ++i;
        }
        if (i >= line.size()) return error("unterminated label value");
        ++i;  // closing quote
        labels.emplace_back(std::move(label_name), std::move(value));
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (i >= line.size()) return error("unterminated label set");
      ++i;  // '}'
    }
    if (i >= line.size() || line[i] != ' ') return error("no value");
    std::vector<absl::string_view> rest =
        absl::StrSplit(line.substr(i + 1), ' ', absl::SkipEmpty());
    if (rest.empty() || rest.size() > 2) return error("no value");
    double value = 0;
    if (rest[0] == "+Inf") {
      value = INFINITY;
    } else if (rest[0] == "-Inf") {
      value = -INFINITY;
    } else if (rest[0] == "NaN") {
      value = NAN;
    } else if (!absl::SimpleAtod(rest[0], &value)) {
      return error("value is not a number");
    }
    if (typed.count(FamilyOf(name, typed)) == 0) {
      return error("sample before its # TYPE line");
    }
    std::sort(labels.begin(), labels.end());
    std::string key = name;
    if (!labels.empty()) {
      key += "{";
      key += absl::StrJoin(labels, ",", [](std::string* out, const auto& l) {
        absl::StrAppend(out, l.first, "=\"", l.second, "\"");
      });
      key += "}";
    }
    if (!samples.emplace(std::move(key), value).second) {
      return error("duplicate sample");
    }
  }
  return samples;
}

}  // namespace lureguard::testing
