// Skeletons: the normal form under which two labels that look alike compare
// equal. Used identically when the brand index is built and when a host is
// checked, so a brand token and a spoof of it meet on the same string.
//
// The pipeline for one label (UTF-8, already lowercased by UTS #46):
//   1. our confusable map, for what UTS #39 leaves out (Latin small
//      capitals, IPA letters and Latin Extended letters with hooks,
//      descenders and strokes, Cyrillic and Greek letters that only look
//      like ASCII in lowercase; the table is in server/lookalike/README.md);
//   2. ICU's UTS #39 skeleton (uspoof_getSkeleton), which also decomposes
//      (NFD);
//   3. removal of combining marks (diacritics), then the map again;
//   4. an ASCII fold: 0->o, 1->l, m->rn, w->vv, d->cl. UTS #39 already maps
//      m to rn and 1 to l; the other folds are ours, so that "rnicrosoft",
//      "vvhatsapp" and "clropbox" meet their brands.
// Every letter of a label folds, so a label with several substitutions
// ("pa\u0177p\u0259l") still has its brand's skeleton: the exact and
// edit-distance paths of the index compare skeletons, never raw labels.
// A glyph that imitates two letters ('1' looks like l and i) yields several
// skeletons, at most kMaxSkeletons.
//
// Thread-safe: the ICU checker is built once and only read afterwards.

#ifndef LUREGUARD_SERVER_LOOKALIKE_INTERNAL_SKELETON_H_
#define LUREGUARD_SERVER_LOOKALIKE_INTERNAL_SKELETON_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace lureguard::lookalike::internal {

// Cap on the skeletons of one label: each ambiguous glyph doubles them.
inline constexpr int kMaxSkeletons = 4;

// True when every byte of `s` is ASCII.
bool IsAscii(absl::string_view s);

// Replaces `*out` with the skeletons of `label`, the primary one first and
// without duplicates. An empty label gives one empty skeleton.
void LabelSkeletons(absl::string_view label, std::vector<std::string>* out);

// The primary skeleton of `label` (the first of LabelSkeletons).
std::string Skeleton(absl::string_view label);

// Where a span of a skeleton comes from in its label.
struct LabelSpan {
  size_t begin = 0;
  size_t end = 0;
};

// For an ASCII label: the bytes of `label` whose folds make up
// [begin, end) of its primary skeleton. A folded 'm', 'w' or 'd' is two
// letters of the skeleton, so a span may start or end inside one: "notion"
// at [6, 12) of "tokyornotion" comes from "motion", [5, 11) of
// "tokyomotion". REQUIRES: IsAscii(label), begin < end <= the skeleton's
// length.
LabelSpan AsciiSkeletonSpanInLabel(absl::string_view label, size_t begin,
                                   size_t end);

}  // namespace lureguard::lookalike::internal

#endif  // LUREGUARD_SERVER_LOOKALIKE_INTERNAL_SKELETON_H_
