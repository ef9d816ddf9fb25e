// Human-facing text in the user's language, through GNU gettext (domain
// "chorus", catalogues built from po/ by msgfmt). Only what people read goes
// through here: messages, prompts, help, table headers. Machine formats (JSON,
// NDJSON, TSV, CSV field names and values) and exit codes are the same in
// every locale (docs/output.md), so they never do.
#pragma once

#include <string>

namespace chorus {

// Selects the language of messages from the environment (LANGUAGE, LC_ALL,
// LC_MESSAGES, LANG, as gettext reads them; only LC_MESSAGES is set, so
// <cctype> and number parsing stay in the C locale) and binds the "chorus"
// domain to the catalogues found next to `executable`: ../share/locale when
// installed, else the build tree's ../locale. Call once, first thing in main.
void InitTranslations(const std::string& executable);

// msgid in the user's language (UTF-8), or msgid itself.
const char* Tr(const char* msgid);
// The singular or plural form for n, in the user's language.
const char* TrN(const char* singular, const char* plural, unsigned long n);

}  // namespace chorus
