// A bulk run's progress: for people, a line redrawn in place that fits the
// terminal whatever its width; for wrappers (--progress ndjson), one JSON
// event a line. Pure functions of the counts, so tests need no terminal.
#pragma once

#include <string>

#include "chorus/bulk.h"

namespace chorus::cli {

// What a progress display shows. `already`: items that needed nothing sent
// (the portal said already pending/attached/decided, or a journal of an
// earlier run had them); they are part of the engine's done and from_journal.
struct ProgressView {
  bulk::Progress counts;
  std::size_t already = 0;
  double seconds = 0;  // since the run started
};

// "[#####.....] 512/2000 25% · 490 done · 12 already · 2 failed · 3 retrying · 48.2/s · ETA 31s",
// at most width - 1 columns (so that the terminal never wraps it and "\r"
// redraws it in place): the rate, the ETA, the percentage and the bar go
// first when it is narrow; then it is cut. width 0: 80.
std::string ProgressLine(const ProgressView& view, int width);

// {"event":"progress","total":2000,"done":490,"already":12,"failed":2,
// "retrying":3,"interrupted":0,"elapsed_ms":10625}; event "end" for the last.
std::string ProgressEvent(const ProgressView& view, bool end);

}  // namespace chorus::cli
