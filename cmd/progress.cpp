#include "progress.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <vector>

#include "output.h"
#include "tr.h"

namespace chorus::cli {
namespace {

// Done, less what needed nothing sent.
std::size_t NewlyDone(const ProgressView& v) {
  const std::size_t finished_well = v.counts.done + v.counts.from_journal;
  return finished_well - std::min(finished_well, v.already);
}

}  // namespace

std::string ProgressLine(const ProgressView& v, int width) {
  const bulk::Progress& p = v.counts;
  const std::size_t available = static_cast<std::size_t>(width > 1 ? width - 1 : 79);
  const std::size_t finished = p.done + p.from_journal + p.failed + p.interrupted;
  const double rate = v.seconds > 0 ? static_cast<double>(p.done + p.failed) / v.seconds : 0;
  const std::size_t percent = p.total ? finished * 100 / p.total : 100;
  std::string eta = "?";
  if (rate > 0)
    eta = fmt::format("{}s", static_cast<long>(static_cast<double>(p.total - std::min(finished, p.total)) / rate));

  // The counts always show; the rest gives way, least useful first.
  const std::string counts = fmt::format("{}/{}", finished, p.total);
  // TRANSLATORS: the counts of a bulk run's progress line, redrawn in place
  // ("512/2000 25% · 490 done · 12 already · 2 failed · 3 retrying · 48.2/s · ETA 31s"); keep it short.
  std::string tallies = TrFormat(" · {} done · {} already · {} failed · {} retrying", NewlyDone(v), v.already,
                                 p.failed, p.retrying);
  struct Optional {
    std::string text;
    bool shown = true;
  };
  Optional pct{fmt::format(" {}%", percent)}, per_second{fmt::format(" · {:.1f}/s", rate)},
      eta_text{TrFormat(" · ETA {}", eta)};
  auto text = [&] {
    return counts + (pct.shown ? pct.text : "") + tallies + (per_second.shown ? per_second.text : "") +
           (eta_text.shown ? eta_text.text : "");
  };
  constexpr std::size_t kBarMax = 30, kBarMin = 8;
  for (Optional* drop : {&per_second, &eta_text, &pct})
    if (DisplayWidth(text()) + kBarMin + 3 > available) drop->shown = false;
  std::string line = text();
  const std::size_t used = DisplayWidth(line);
  if (used + kBarMin + 3 <= available) {
    const std::size_t bar_width = std::min(kBarMax, available - used - 3);
    const std::size_t filled = p.total ? bar_width * std::min(finished, p.total) / p.total : bar_width;
    line = "[" + std::string(filled, '#') + std::string(bar_width - filled, '.') + "] " + line;
  }
  return Shorten(line, available);
}

std::string ProgressEvent(const ProgressView& v, bool end) {
  const bulk::Progress& p = v.counts;
  nlohmann::ordered_json event{{"event", end ? "end" : "progress"},
                               {"total", p.total},
                               {"done", NewlyDone(v)},
                               {"already", v.already},
                               {"failed", p.failed},
                               {"retrying", p.retrying},
                               {"interrupted", p.interrupted},
                               {"elapsed_ms", static_cast<long>(v.seconds * 1000)}};
  return event.dump();
}

}  // namespace chorus::cli
