#include "server/service/check_url_request.h"

#include "server/service/internal/wire_format.h"
#include "server/service/internal/wire_reader.h"

namespace lureguard::service {

bool ReadCheckUrlRequest(absl::string_view bytes,
                         CheckUrlRequestView& request) {
  // Field numbers of lureguard.v1.CheckUrlRequest.
  constexpr uint32_t kUrl = 1;
  constexpr uint32_t kTenant = 3;
  request = {};
  internal::WireReader reader(bytes);
  internal::WireReader::Field field;
  while (reader.Next(field)) {
    if (field.wire_type != internal::kLengthDelimited) continue;
    if (field.number == kUrl) {
      request.url = field.payload;
    } else if (field.number == kTenant) {
      request.tenant = field.payload;
    }
  }
  return reader.ok();
}

}  // namespace lureguard::service
