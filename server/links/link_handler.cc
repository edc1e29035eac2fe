#include "server/links/link_handler.h"

namespace lureguard::links {

std::string_view LinkLocationName(LinkLocation location) {
  switch (location) {
    case LinkLocation::kHtmlAnchor:
      return "html_anchor";
    case LinkLocation::kHtmlArea:
      return "html_area";
    case LinkLocation::kHtmlForm:
      return "html_form";
    case LinkLocation::kText:
      return "text";
  }
  return "unknown";
}

}  // namespace lureguard::links
