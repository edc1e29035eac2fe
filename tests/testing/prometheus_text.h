// Parses Prometheus text exposition format 0.0.4 back into samples, so
// tests assert on the values a scraper would read, and on the format being
// one a scraper accepts.
//
// Example:
//   absl::StatusOr<PrometheusSamples> samples = ParsePrometheusText(text);
//   double n = (*samples)["lureguard_verdicts_total{action=\"BLOCK\"}"];

#ifndef LUREGUARD_TESTS_TESTING_PROMETHEUS_TEXT_H_
#define LUREGUARD_TESTS_TESTING_PROMETHEUS_TEXT_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lureguard::testing {

// Sample key: the metric name, then its labels sorted by name as
// {a="x",b="y"} (no braces without labels), values unescaped.
using PrometheusSamples = std::map<std::string, double>;

// InvalidArgument with the line number for anything a Prometheus scraper
// would reject: a sample of a family without a preceding # TYPE line, a
// malformed label set, a value that is not a number, a duplicate sample.
absl::StatusOr<PrometheusSamples> ParsePrometheusText(absl::string_view text);

}  // namespace lureguard::testing

#endif  // LUREGUARD_TESTS_TESTING_PROMETHEUS_TEXT_H_
