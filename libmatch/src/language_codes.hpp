// ISO 639 three-letter language codes read as their two-letter ones. The
// table is data from Debian's iso-codes package (LGPL-2.1+), generated into
// language_codes.cpp by scripts/build_language_codes.py.
#pragma once

#include <optional>
#include <string_view>

namespace libmatch::detail {

// The ISO 639-1 code of a lower-case ISO 639-2 (terminologic or
// bibliographic) or ISO 639-3 code: "por" -> "pt", "deu" and "ger" -> "de",
// "zho" and "chi" -> "zh". nullopt for a code of a language without a
// two-letter code ("yue", "haw") and for anything else.
std::optional<std::string_view> two_letter_language(std::string_view alpha3);

}  // namespace libmatch::detail
