#include "chorus/trace.h"

#include "chorus/text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <ostream>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace chorus {
namespace {

// Bodies longer than this are cut in the trace; the trace is for reading.
constexpr size_t kMaxTracedBody = 64 * 1024;

void RedactJson(nlohmann::ordered_json& node) {
  if (node.is_object()) {
    for (auto& [key, value] : node.items()) {
      if (IsSecretFieldName(key) && !value.is_null()) {
        value = std::string(kRedacted);
      } else {
        RedactJson(value);
      }
    }
  } else if (node.is_array()) {
    for (auto& item : node) RedactJson(item);
  }
}

bool LooksLikeForm(std::string_view body) {
  if (body.find('=') == std::string_view::npos) return false;
  return std::none_of(body.begin(), body.end(), [](char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '{' || c == '[' || c == '"';
  });
}

// Decodes %XX and '+' in a form field name, enough to recognise it.
std::string FormDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() &&
               std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string RedactForm(std::string_view body) {
  std::string out;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view field = body.substr(start, end - start);
    size_t eq = field.find('=');
    if (eq != std::string_view::npos && IsSecretFieldName(FormDecode(field.substr(0, eq)))) {
      out.append(field.substr(0, eq + 1));
      out.append(kRedacted);
    } else {
      out.append(field);
    }
    if (end == body.size()) break;
    out += '&';
    start = end + 1;
  }
  return out;
}

std::string ShownBody(std::string_view body) {
  std::string shown = RedactBody(body);
  if (shown.size() > kMaxTracedBody) {
    const size_t dropped = shown.size() - kMaxTracedBody;
    shown.resize(kMaxTracedBody);
    shown += "\n... (" + std::to_string(dropped) + " more bytes)";
  }
  return shown;
}

void AppendHeaders(std::string& out, char prefix, const Headers& headers) {
  for (const auto& [name, value] : headers) {
    out += prefix;
    out += ' ';
    out += name;
    out += ": ";
    out += RedactHeaderValue(name, value);
    out += '\n';
  }
}

void AppendBody(std::string& out, char prefix, std::string_view body) {
  if (body.empty()) return;
  out += prefix;
  out += '\n';
  std::string shown = ShownBody(body);
  size_t start = 0;
  while (start < shown.size()) {
    size_t end = shown.find('\n', start);
    if (end == std::string::npos) end = shown.size();
    out += prefix;
    out += ' ';
    out.append(shown, start, end - start);
    out += '\n';
    start = end + 1;
  }
}

class TracingTransport final : public HttpTransport {
 public:
  TracingTransport(std::unique_ptr<HttpTransport> inner, std::shared_ptr<Tracer> tracer,
                   Clock& clock)
      : inner_(std::move(inner)), tracer_(std::move(tracer)), clock_(clock) {}

  StatusOr<HttpResponse> Send(const HttpRequest& request) override {
    tracer_->Write(RedactedDump(request));
    const auto start = clock_.Now();
    StatusOr<HttpResponse> result = inner_->Send(request);
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now() - start).count();
    std::string out;
    if (!result.ok()) {
      out = "< error (" + std::to_string(elapsed) + " ms): " + result.status().ToString() + "\n";
    } else {
      out = "< HTTP " + std::to_string(result->status) + " (" + std::to_string(elapsed) +
            " ms)\n";
      AppendHeaders(out, '<', result->headers);
      AppendBody(out, '<', result->body);
    }
    tracer_->Write(out);
    return result;
  }

 private:
  std::unique_ptr<HttpTransport> inner_;
  std::shared_ptr<Tracer> tracer_;
  Clock& clock_;
};

class ObservingTransport final : public HttpTransport {
 public:
  ObservingTransport(std::unique_ptr<HttpTransport> inner, CallObserver observer, Clock& clock)
      : inner_(std::move(inner)), observer_(std::move(observer)), clock_(clock) {}

  StatusOr<HttpResponse> Send(const HttpRequest& request) override {
    const auto start = clock_.Now();
    StatusOr<HttpResponse> result = inner_->Send(request);
    CallEvent event;
    event.method = request.method;
    event.path = UrlPath(request.url);
    event.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now() - start);
    event.attempt = request.attempt;
    if (result.ok()) event.http_status = result->status;
    else event.error = result.status();
    observer_(event);
    return result;
  }

 private:
  std::unique_ptr<HttpTransport> inner_;
  CallObserver observer_;
  Clock& clock_;
};

}  // namespace

std::string UrlPath(std::string_view url) {
  std::size_t start = 0;
  if (auto scheme = url.find("://"); scheme != std::string_view::npos) {
    start = url.find('/', scheme + 3);
    if (start == std::string_view::npos) return "/";
  }
  std::string_view path = url.substr(start);
  path = path.substr(0, path.find_first_of("?#"));
  return path.empty() ? "/" : std::string(path);
}

std::string CallEventLine(const CallEvent& e) {
  const std::string call = e.method + " " + e.path;
  if (e.kind == CallEvent::Kind::kRetry)
    return "retry: " + call + " attempt " + std::to_string(e.attempt) + " failed: " + e.error.ToString() +
           "; next attempt in " + std::to_string(e.wait.count()) + " ms";
  std::string line = call + " " + (e.http_status ? std::to_string(e.http_status) : std::string("error")) + " " +
                     std::to_string(e.elapsed.count()) + " ms";
  if (e.attempt > 0) line += " (attempt " + std::to_string(e.attempt) + ")";
  if (!e.http_status) line += ": " + e.error.ToString();
  return line;
}

std::unique_ptr<HttpTransport> MakeObservingTransport(std::unique_ptr<HttpTransport> inner, CallObserver observer,
                                                      Clock& clock) {
  return std::make_unique<ObservingTransport>(std::move(inner), std::move(observer), clock);
}

Tracer::Tracer(Sink sink) : sink_(std::move(sink)) {}

std::shared_ptr<Tracer> Tracer::ToStream(std::ostream& out) {
  return std::make_shared<Tracer>([&out](std::string_view text) {
    out << text;
    out.flush();
  });
}

void Tracer::AddSecret(std::string secret) {
  if (secret.empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  secrets_.push_back(std::move(secret));
}

void Tracer::Write(std::string_view text) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!sink_) return;
  sink_(RedactSecrets(text, secrets_));
}

namespace {

// Characters that continue a word, a flag, a path or an address: a short
// secret next to one of them is part of other text ("--sandbox",
// "sandbox.example", "~/sandbox/").
bool JoinsWord(unsigned char c) {
  return std::isalnum(c) || c == '_' || c == '-' || c == '/' || c == '@' || c >= 0x80;
}

// A whole token at [pos, pos + n) of text: not inside a word. A '.' joins
// only when a word goes on after it ("sandbox.example"), not at a
// sentence's end ("... was sandbox.").
bool IsWholeToken(std::string_view text, size_t pos, size_t n) {
  if (pos > 0) {
    const auto before = static_cast<unsigned char>(text[pos - 1]);
    if (JoinsWord(before)) return false;
    if (before == '.' && pos > 1 && JoinsWord(static_cast<unsigned char>(text[pos - 2]))) return false;
  }
  const size_t end = pos + n;
  if (end < text.size()) {
    const auto after = static_cast<unsigned char>(text[end]);
    if (JoinsWord(after)) return false;
    if (after == '.' && end + 1 < text.size() && JoinsWord(static_cast<unsigned char>(text[end + 1]))) return false;
  }
  return true;
}

}  // namespace

std::string RedactSecrets(std::string_view text, const std::vector<std::string>& secrets) {
  std::string out(text);
  // Longest first, so a secret that contains another is replaced whole.
  std::vector<const std::string*> ordered;
  for (const auto& s : secrets) {
    if (!s.empty()) ordered.push_back(&s);
  }
  std::sort(ordered.begin(), ordered.end(),
            [](const std::string* a, const std::string* b) { return a->size() > b->size(); });
  for (const std::string* secret : ordered) {
    const bool anywhere = secret->size() >= kRedactAnywhereLength;
    size_t pos = 0;
    while ((pos = out.find(*secret, pos)) != std::string::npos) {
      if (!anywhere && !IsWholeToken(out, pos, secret->size())) {
        pos += 1;
        continue;
      }
      out.replace(pos, secret->size(), kRedacted);
      pos += kRedacted.size();
    }
  }
  return out;
}

bool IsSecretFieldName(std::string_view name) {
  // Compared without case, '_' or '-', so client_secret, clientSecret and
  // CLIENT-SECRET all match.
  std::string key;
  for (char c : name) {
    if (c != '_' && c != '-') key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  static constexpr std::array<std::string_view, 10> kSecretParts = {
      "motdepasse", "password", "passwd", "reponsesecrete", "clientsecret",
      "accesstoken", "refreshtoken", "idtoken", "jeton", "apikey"};
  return std::any_of(kSecretParts.begin(), kSecretParts.end(),
                     [&key](std::string_view part) { return key.find(part) != std::string::npos; });
}

std::string RedactHeaderValue(std::string_view name, std::string_view value) {
  const std::string lower = Lower(name);
  if (lower == "authorization" || lower == "proxy-authorization") {
    // Keep the scheme: "Bearer ***REDACTED***" still tells what was sent.
    size_t space = value.find(' ');
    if (space != std::string_view::npos) {
      return std::string(value.substr(0, space + 1)) + std::string(kRedacted);
    }
    return std::string(kRedacted);
  }
  if (lower == "cpro-account" || lower == "cookie" || lower == "set-cookie") {
    return std::string(kRedacted);
  }
  return std::string(value);
}

std::string RedactBody(std::string_view body) {
  auto json = nlohmann::ordered_json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_discarded() && (json.is_object() || json.is_array())) {
    RedactJson(json);
    // Replace invalid UTF-8 instead of throwing: a trace must never fail.
    return json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  }
  if (LooksLikeForm(body)) return RedactForm(body);
  return std::string(body);
}

std::string RedactedDump(const HttpRequest& request) {
  std::string out = "> " + request.method + " " + request.url + "\n";
  AppendHeaders(out, '>', request.headers);
  AppendBody(out, '>', request.body);
  return out;
}

std::unique_ptr<HttpTransport> MakeTracingTransport(std::unique_ptr<HttpTransport> inner,
                                                    std::shared_ptr<Tracer> tracer,
                                                    Clock& clock) {
  return std::make_unique<TracingTransport>(std::move(inner), std::move(tracer), clock);
}

}  // namespace chorus
