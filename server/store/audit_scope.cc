#include "server/store/audit_scope.h"

#include <utility>

namespace lureguard::store {
namespace {

thread_local AuditScope* current_scope = nullptr;

}  // namespace

AuditScope::AuditScope(AuditRecord record) : record_(std::move(record)) {
  current_scope = this;
}

AuditScope::~AuditScope() {
  if (current_scope == this) current_scope = nullptr;
}

AuditScope* AuditScope::Pending() {
  if (current_scope == nullptr || current_scope->written_) return nullptr;
  return current_scope;
}

}  // namespace lureguard::store
