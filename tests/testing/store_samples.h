// Sample rows for tests of the store's parts and of the code that uses
// them, so that every test needing "a click" or "a record" builds the same
// one and states only what it is about.
//
// Example:
//   store::ClickRecord click = SampleClick("acme", "https://a.example/");
//   store::AuditScope scope(SampleAudit("CreateFeed", "feed:phish"));
//   store->PutRecord(SampleRecord("feed", "phish", "cfg"), false);

#ifndef LUREGUARD_TESTS_TESTING_STORE_SAMPLES_H_
#define LUREGUARD_TESTS_TESTING_STORE_SAMPLES_H_

#include <cstdint>
#include <string>
#include <utility>

#include "absl/time/time.h"
#include "server/store/audit_log.h"
#include "server/store/click_store.h"
#include "server/store/record_store.h"

namespace lureguard::testing {

// When the samples happen unless a test says otherwise: 2026-01-01 UTC.
inline const absl::Time kSampleTime = absl::FromUnixSeconds(1767225600);

// A confirmed click by one recipient on `url`, as the click page sends it.
inline store::ClickRecord SampleClick(std::string tenant, std::string url,
                                      absl::Time time = kSampleTime) {
  store::ClickRecord click;
  click.time = time;
  click.tenant = std::move(tenant);
  click.recipient_id = "0123456789abcdef0123456789abcdef";
  click.url = std::move(url);
  click.action = 1;
  click.verdict_action = 2;
  click.verdict_id = "v1";
  return click;
}

// The audit record an admin call by "alice" opens a scope with.
inline store::AuditRecord SampleAudit(std::string method, std::string target) {
  store::AuditRecord record;
  record.time = kSampleTime;
  record.actor = "alice";
  record.actor_role = "admin";
  record.method = std::move(method);
  record.target = std::move(target);
  record.after = "after";
  record.request_id = "req-1";
  return record;
}

// A record written at kSampleTime, as a new write (version 0).
inline store::StoredRecord SampleRecord(std::string collection,
                                        std::string name, std::string payload,
                                        std::string tenant = "") {
  store::StoredRecord record;
  record.collection = std::move(collection);
  record.tenant = std::move(tenant);
  record.name = std::move(name);
  record.payload = std::move(payload);
  record.update_time = kSampleTime;
  return record;
}

// `record` as a conditional write that expects to replace `version`.
inline store::StoredRecord AtVersion(store::StoredRecord record,
                                     int64_t version) {
  record.version = version;
  return record;
}

}  // namespace lureguard::testing

#endif  // LUREGUARD_TESTS_TESTING_STORE_SAMPLES_H_
