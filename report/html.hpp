#pragma once
// One self-contained HTML page per report: styles inline, no scripts, no
// fonts or anything else fetched from the network, SVG drawings inline, so
// that a CI server can publish the folder and anyone can open it offline.
#include <string>
#include <utility>
#include <vector>

namespace fincheck::report {

struct Cell {
  Cell(std::string text, std::string css_class = {}, std::string title = {})
      : text(std::move(text)), css_class(std::move(css_class)), title(std::move(title)) {}
  std::string text;
  std::string css_class;  // "pass", "fail", "skip", "num" or ""
  std::string title;      // shown on hover
};

class Page {
 public:
  explicit Page(std::string title);

  // What a person reads first, above every section: the verdict, coloured,
  // then one fact a line ("seed" "5", "replay" "fincheck run x.scn").
  void summary(const std::string& verdict, bool ok,
               const std::vector<std::pair<std::string, std::string>>& facts);
  void heading(const std::string& text, const std::string& id = {});
  void paragraph(const std::string& text);
  void preformatted(const std::string& text);
  void table(const std::vector<std::string>& header, const std::vector<std::vector<Cell>>& rows,
             const std::string& css_class = {});
  // An SVG drawing inline (an XML prologue is dropped), under a caption;
  // `fit`: scaled to the page's width instead of scrolled.
  void figure(const std::string& svg, const std::string& caption, bool fit = false);
  // An image file in the report's folder.
  void image(const std::string& file, const std::string& caption);
  // A foldable section; `open` shows it unfolded.
  void begin_details(const std::string& summary, bool open = false);
  void end_details();
  // The sections of `other` after this page's.
  void append(const Page& other) { body_ += other.body_; }

  std::string html() const;

 private:
  std::string title_;
  std::string summary_;  // first on the page, whenever it was given
  std::string body_;
};

// Writes `page` as DIR/index.html, making DIR; returns the file's path.
// Throws OutputError.
std::string write_page(const std::string& dir, const Page& page);

}  // namespace fincheck::report
