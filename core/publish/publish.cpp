// SPDX-License-Identifier: Apache-2.0
// publish_site: renders a publication into a temporary folder of the site,
// moves it into place, then rewrites the landing page.
#include <unistd.h>

#include <algorithm>
#include <exception>
#include <fstream>
#include <future>
#include <system_error>

#include <vitals/output_file.hpp>
#include <vitals/publish.hpp>

#include "common/parallel.hpp"
#include "publish/csv_download.hpp"
#include "publish/download_tables.hpp"
#include "publish/site_layout.hpp"
#include "publish/site_pages.hpp"
#include "publish/xlsx_download.hpp"
#include "report/builtin_templates.hpp"
#include "report/document_files.hpp"

namespace fs = std::filesystem;

namespace vitals {

namespace {

constexpr const char* kWorkbook = "vital-signs.xlsx";

Status write_file(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.flush();
  if (!out) return Status(StatusCode::kIoError, "cannot write " + path.string());
  return Status::ok();
}

// Writes a rendered page, or fails with the template problem.
Status write_page(const fs::path& path, const std::optional<std::string>& page,
                  const std::vector<Diagnostic>& diagnostics) {
  if (!page) return detail::template_failure(diagnostics);
  return write_file(path, *page);
}

// Pages a thread takes at a time from the shared list.
constexpr std::size_t kPagesPerTake = 4;

Status write_publication(const detail::SitePages& pages, const ReportInputs& inputs,
                         const PublishOptions& options, const fs::path& dir,
                         std::vector<Diagnostic>& diagnostics) {
  std::error_code ec;
  fs::create_directories(dir / "indicators", ec);
  if (!ec) fs::create_directories(dir / "downloads", ec);
  if (ec) return Status(StatusCode::kIoError, "cannot create " + dir.string() + ": " + ec.message());

  // The workbook (compressing every series) takes about as long as all the
  // pages: it is written on a thread of its own meanwhile.
  const detail::DownloadTable dashboard = detail::dashboard_table(inputs);
  const std::string heading = inputs.report.committee.empty() ? inputs.catalogue.name : inputs.report.committee;
  std::future<Status> workbook = std::async(std::launch::async, [&] {
    const detail::DownloadTable sheet = detail::series_table(inputs, detail::SeriesLayout::kLean);
    return detail::write_xlsx(dir / "downloads" / kWorkbook, {&dashboard, &sheet}, {"Dashboard", "Series"},
                              heading + ": vital signs, " + options.period.label(), options.period);
  });

  // Every other file is a job for the worker threads: the series CSV first
  // (the longest), then the dashboard, then a page per indicator. Each job
  // keeps its own diagnostics, so they come out in this order whichever
  // thread wrote what.
  const std::vector<IndicatorResult>& indicators = inputs.report.indicators;
  const std::size_t jobs = indicators.size() + 2;
  std::vector<Status> written(jobs, Status::ok());
  std::vector<std::vector<Diagnostic>> found(jobs);
  auto job = [&](std::size_t, std::size_t i) {
    if (i == 0) {
      written[i] = write_file(dir / "downloads" / "series.csv",
                              detail::csv_text(detail::series_table(inputs, detail::SeriesLayout::kFull)));
    } else if (i == 1) {
      written[i] = write_page(dir / "index.html", pages.index_page(found[i]), found[i]);
      if (written[i].is_ok()) written[i] = write_file(dir / "downloads" / "dashboard.csv", detail::csv_text(dashboard));
    } else {
      const IndicatorResult& r = indicators[i - 2];
      written[i] = write_page(dir / "indicators" / (r.indicator_id + ".html"), pages.indicator_page(r, found[i]),
                              found[i]);
    }
  };
  detail::run_parallel(detail::worker_count(options.threads, jobs, kPagesPerTake), jobs, kPagesPerTake, job);

  Status first_failure = Status::ok();
  for (std::size_t i = 0; i < jobs; ++i) {
    diagnostics.insert(diagnostics.end(), std::make_move_iterator(found[i].begin()),
                       std::make_move_iterator(found[i].end()));
    if (first_failure.is_ok()) first_failure = written[i];
  }
  Status book = workbook.get();
  return first_failure.is_ok() ? book : first_failure;
}

std::vector<fs::path> files_under(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) files.push_back(it->path().lexically_relative(dir));
  }
  std::sort(files.begin(), files.end());
  return files;
}

Result<PublishSummary> publish(const ReportInputs& inputs, const PublishOptions& options) {
  PublishSummary summary;
  const std::string name = publication_folder_name(options.period);
  const fs::path& site = options.site_dir;
  summary.folder = site / name;

  std::error_code ec;
  const bool exists = fs::exists(summary.folder, ec);
  if (exists && !options.replace) {
    return Status(StatusCode::kInvalidArgument,
                  options.period.label() + " is already published in " + summary.folder.string() +
                      "; it was left as it is (publish it again with --replace to overwrite it)");
  }
  fs::create_directories(site, ec);
  if (ec) return Status(StatusCode::kIoError, "cannot create " + site.string() + ": " + ec.message());

  detail::TemplateSet templates = detail::report_templates(inputs.template_dir, summary.diagnostics);
  if (has_errors(summary.diagnostics)) return detail::template_failure(summary.diagnostics);
  const detail::SitePages pages(templates, inputs, options.period);

  const std::string pid = std::to_string(::getpid());
  const fs::path staging = site / ("." + name + ".tmp-" + pid);
  fs::remove_all(staging, ec);
  Status written = write_publication(pages, inputs, options, staging, summary.diagnostics);
  if (!written.is_ok()) {
    fs::remove_all(staging, ec);
    return written;
  }
  summary.files = files_under(staging);

  const fs::path previous = site / ("." + name + ".old-" + pid);
  if (exists) {
    fs::rename(summary.folder, previous, ec);
    if (ec) {
      fs::remove_all(staging, ec);
      return Status(StatusCode::kIoError, "cannot replace " + summary.folder.string() + ": " + ec.message());
    }
    summary.replaced = true;
  }
  fs::rename(staging, summary.folder, ec);
  if (ec) {
    std::error_code ignored;
    if (exists) fs::rename(previous, summary.folder, ignored);
    fs::remove_all(staging, ignored);
    return Status(StatusCode::kIoError, "cannot write " + summary.folder.string() + ": " + ec.message());
  }
  if (exists) fs::remove_all(previous, ec);

  const std::vector<detail::PublishedFolder> published = detail::published_folders(site);
  for (const detail::PublishedFolder& p : published) summary.publications.push_back(p.folder);
  const std::optional<std::string> landing = pages.landing_page(published, summary.diagnostics);
  if (!landing) return detail::template_failure(summary.diagnostics);
  if (Status st = write_output_file(site / "index.html", *landing); !st.is_ok()) return st;
  return summary;
}

}  // namespace

Period publication_evaluation_period(const Catalogue& catalogue, const Period& period) {
  bool any = false;
  std::optional<Period> shortest;
  for (const IndicatorDefinition& d : catalogue.indicators) {
    if (d.frequency == period.frequency()) return period;
    const Period candidate = period.latest_complete(d.frequency);
    if (candidate.last_month_index() != period.last_month_index()) continue;
    any = true;
    if (!shortest || candidate.length_in_months() < shortest->length_in_months()) shortest = candidate;
  }
  return any ? *shortest : period;
}

Result<PublishSummary> publish_site(const ReportInputs& inputs, const PublishOptions& options) {
  try {
    return publish(inputs, options);
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, std::string("publishing failed: ") + e.what());
  }
}

}  // namespace vitals
