#include "server/store/list_entry_store.h"

#include <optional>
#include <string_view>

namespace lureguard::store {

const char* ThreatTypeName(ThreatType threat) {
  switch (threat) {
    case ThreatType::kPhishing:
      return "phishing";
    case ThreatType::kMalware:
      return "malware";
    case ThreatType::kUnwanted:
      return "unwanted";
  }
  return "unknown";
}

std::optional<ThreatType> ParseThreatType(std::string_view name) {
  for (ThreatType threat :
       {ThreatType::kPhishing, ThreatType::kMalware, ThreatType::kUnwanted}) {
    if (name == ThreatTypeName(threat)) return threat;
  }
  return std::nullopt;
}

absl::Status ListEntryStore::ScanEntries(absl::Time now,
                                         EntryVisitor& visitor) {
  return ForEachEntry(now, [&visitor](const ListEntryRecord& entry) {
    visitor.Visit(ViewOf(entry));
  });
}

}  // namespace lureguard::store
