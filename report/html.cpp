#include "report/html.hpp"

#include <filesystem>

#include "impl/output_file.hpp"
#include "impl/text.hpp"

namespace fincheck::report {

namespace {

constexpr const char* style = R"css(
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 22px; margin-bottom: 8px; }
h2 { font-size: 18px; margin-top: 28px; border-bottom: 1px solid #ddd; }
.summary { border: 2px solid #999; border-radius: 6px; padding: 10px 16px; display: inline-block; }
.summary.ok { border-color: #2e7d32; background: #f1f8e9; }
.summary.bad { border-color: #c62828; background: #fdecea; }
.verdict { font-size: 20px; font-weight: bold; }
.summary.ok .verdict { color: #2e7d32; }
.summary.bad .verdict { color: #c62828; }
.facts td { padding: 2px 12px 2px 0; vertical-align: top; }
.facts td:first-child { color: #666; }
code, pre, .facts td:last-child { font-family: "DejaVu Sans Mono", monospace; font-size: 13px; }
pre { background: #f6f6f6; padding: 8px; white-space: pre-wrap; }
table.grid { border-collapse: collapse; font-size: 13px; }
table.grid th, table.grid td { border: 1px solid #ccc; padding: 3px 8px; }
table.grid th { background: #eee; }
table.grid.matrix th { writing-mode: vertical-rl; transform: rotate(180deg); text-align: left; }
td.pass { background: #c8e6c9; }
td.fail { background: #ef9a9a; }
td.skip { background: #eeeeee; color: #777; }
td.caveat { background: #fff3c4; }
td.num { text-align: right; font-family: "DejaVu Sans Mono", monospace; }
figure { margin: 12px 0; }
figcaption { color: #555; font-size: 13px; margin-bottom: 4px; }
.drawing { overflow: auto; border: 1px solid #ddd; max-height: 900px; }
.fit svg { max-width: 100%; height: auto; }
details { margin: 6px 0; }
summary { cursor: pointer; }
)css";

std::string attribute(const std::string& name, const std::string& value) {
  return value.empty() ? "" : " " + name + "=\"" + xml_text(value) + "\"";
}

}  // namespace

Page::Page(std::string title) : title_(std::move(title)) {}

void Page::summary(const std::string& verdict, bool ok,
                   const std::vector<std::pair<std::string, std::string>>& facts) {
  summary_ = "<div class=\"summary " + std::string(ok ? "ok" : "bad") +
             "\"><div class=\"verdict\" id=\"verdict\">" + xml_text(verdict) +
             "</div><table class=\"facts\">";
  for (const auto& [label, value] : facts)
    summary_ += "<tr><td>" + xml_text(label) + "</td><td>" + xml_text(value) + "</td></tr>";
  summary_ += "</table></div>\n";
}

void Page::heading(const std::string& text, const std::string& id) {
  body_ += "<h2" + attribute("id", id) + ">" + xml_text(text) + "</h2>\n";
}

void Page::paragraph(const std::string& text) { body_ += "<p>" + xml_text(text) + "</p>\n"; }

void Page::preformatted(const std::string& text) { body_ += "<pre>" + xml_text(text) + "</pre>\n"; }

void Page::table(const std::vector<std::string>& header, const std::vector<std::vector<Cell>>& rows,
                 const std::string& css_class) {
  body_ += "<table class=\"grid" + (css_class.empty() ? "" : " " + css_class) + "\"><tr>";
  for (const std::string& h : header) body_ += "<th>" + xml_text(h) + "</th>";
  body_ += "</tr>\n";
  for (const auto& row : rows) {
    body_ += "<tr>";
    for (const Cell& c : row)
      body_ += "<td" + attribute("class", c.css_class) + attribute("title", c.title) + ">" +
               xml_text(c.text) + "</td>";
    body_ += "</tr>\n";
  }
  body_ += "</table>\n";
}

void Page::figure(const std::string& svg, const std::string& caption, bool fit) {
  const std::size_t start = svg.find("<svg");
  body_ += "<figure><figcaption>" + xml_text(caption) + "</figcaption><div class=\"drawing" +
           (fit ? " fit" : "") + "\">" + (start == std::string::npos ? svg : svg.substr(start)) +
           "</div></figure>\n";
}

void Page::image(const std::string& file, const std::string& caption) {
  body_ += "<figure><figcaption>" + xml_text(caption) + "</figcaption><img src=\"" +
           xml_text(file) + "\" alt=\"" + xml_text(caption) + "\"></figure>\n";
}

void Page::begin_details(const std::string& summary, bool open) {
  body_ += std::string("<details") + (open ? " open" : "") + "><summary>" + xml_text(summary) +
           "</summary>\n";
}

void Page::end_details() { body_ += "</details>\n"; }

std::string Page::html() const {
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
         xml_text(title_) + "</title><style>" + style + "</style></head><body><h1>" +
         xml_text(title_) + "</h1>\n" + summary_ + body_ + "</body></html>\n";
}

std::string write_page(const std::string& dir, const Page& page) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw OutputError("cannot make the folder " + dir + ": " + ec.message());
  const std::string path = (std::filesystem::path(dir) / "index.html").string();
  write_output_file(path, page.html());
  return path;
}

}  // namespace fincheck::report
