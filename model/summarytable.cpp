#include "model/summarytable.h"
#include "model/metrics.h"

#include <cmath>
#include <cstdio>

namespace reglab {
namespace {

std::string number(double value, const char *format)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, value);
    return buffer;
}

std::string percent(double fraction)
{
    return number(100 * fraction, "%.2f %%");
}

std::string csvField(const std::string &text)
{
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (char c : text)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

std::string replaceAll(std::string text, const std::string &from, const std::string &to)
{
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

std::string htmlEscape(std::string text)
{
    text = replaceAll(std::move(text), "&", "&amp;");
    text = replaceAll(std::move(text), "<", "&lt;");
    text = replaceAll(std::move(text), ">", "&gt;");
    return replaceAll(std::move(text), "\"", "&quot;");
}

std::vector<const Metric *> summarized(bool best)
{
    std::vector<const Metric *> out;
    for (const Metric &m : metrics())
        if (best ? m.summaryBest : m.summaryFinal)
            out.push_back(&m);
    return out;
}

std::size_t indexOf(const std::vector<const Metric *> &list, const std::string &key)
{
    for (std::size_t i = 0; i < list.size(); ++i)
        if (list[i]->key == key)
            return i;
    return list.size();
}

std::string shown(const Metric &m, double v)
{
    if (!std::isfinite(v))
        return "-";
    return m.fraction() ? percent(v) : number(v, "%.4f");
}

// The columns of a table: every summarized metric, but an optional one (a training accuracy measured only
// on request) only where some row has a value for it, so tables of runs without it keep their old shape.
struct Columns {
    std::vector<std::size_t> finals, bests; // indices into summarized(false) and summarized(true)
};

Columns columnsOf(const std::vector<SummaryRow> &rows)
{
    const auto pick = [&rows](bool best) {
        const auto list = summarized(best);
        std::vector<std::size_t> out;
        for (std::size_t i = 0; i < list.size(); ++i) {
            bool measured = !list[i]->optional;
            for (const SummaryRow &r : rows) {
                const std::vector<double> &values = best ? r.bests : r.finals;
                measured = measured || (i < values.size() && std::isfinite(values[i]));
            }
            if (measured)
                out.push_back(i);
        }
        return out;
    };
    return {pick(false), pick(true)};
}

// The people's columns (Markdown, HTML): a run without epochs shows dashes.
std::vector<std::string> heads(const Columns &columns)
{
    std::vector<std::string> out{"Run", "Epochs"};
    const auto finals = summarized(false), bests = summarized(true);
    for (std::size_t i : columns.finals)
        out.push_back("Final " + finals[i]->brief());
    for (std::size_t i : columns.bests)
        out.push_back("Best " + bests[i]->brief() + " (epoch)");
    return out;
}

std::vector<std::string> cells(const SummaryRow &r, const Columns &columns)
{
    std::vector<std::string> out{r.name, std::to_string(r.epochs)};
    const auto finals = summarized(false), bests = summarized(true);
    if (r.epochs == 0) {
        out.resize(2 + columns.finals.size() + columns.bests.size(), "-");
        return out;
    }
    for (std::size_t i : columns.finals)
        out.push_back(shown(*finals[i], r.finals[i]));
    for (std::size_t i : columns.bests)
        out.push_back(std::isfinite(r.bests[i]) ? shown(*bests[i], r.bests[i]) + " (" + std::to_string(r.bestEpochs[i]) + ")"
                                                : "-"); // never measured: no epoch either
    return out;
}

} // namespace

double SummaryRow::final(const std::string &metric) const
{
    const std::size_t i = indexOf(summarized(false), metric);
    return i < finals.size() ? finals[i] : std::nan("");
}

double SummaryRow::best(const std::string &metric) const
{
    const std::size_t i = indexOf(summarized(true), metric);
    return i < bests.size() ? bests[i] : std::nan("");
}

int SummaryRow::bestEpoch(const std::string &metric) const
{
    const std::size_t i = indexOf(summarized(true), metric);
    return i < bestEpochs.size() ? bestEpochs[i] : 0;
}

std::string dataSetName(const RunRecord &record)
{
    return record.dataName.empty() ? record.config.data : record.dataName;
}

bool dataSetsDiffer(const std::vector<const RunRecord *> &records)
{
    // By the setting: a run not started yet has no data name, and "sample" is the "MNIST sample" it loads.
    for (const RunRecord *r : records)
        if (r->config.data != records.front()->config.data)
            return true;
    return false;
}

std::string withDataSet(const std::string &name, const RunRecord &record)
{
    return name + " [" + dataSetName(record) + "]";
}

SummaryRow summarizeRun(const std::string &name, const RunRecord &record)
{
    SummaryRow row;
    row.name = name;
    row.epochs = int(record.epochs.size());
    if (record.epochs.empty())
        return row;
    // A first-layer share without the layers, or a training accuracy never measured, is NaN: an empty cell.
    const auto value = [](const Metric &m, const EpochRecord &e) { return m.read(e); };
    for (const Metric *m : summarized(false))
        row.finals.push_back(value(*m, *finalEpoch(record)));
    for (const Metric *m : summarized(true)) {
        double best = std::nan("");
        int epoch = 0;
        for (const EpochRecord &e : record.epochs)
            if (const double v = value(*m, e); std::isfinite(v) && (!std::isfinite(best) || v > best)) {
                best = v;
                epoch = e.epoch;
            }
        row.bests.push_back(best);
        row.bestEpochs.push_back(epoch);
    }
    return row;
}

std::string summaryCsv(const std::vector<SummaryRow> &rows)
{
    const auto finals = summarized(false), bests = summarized(true);
    const Columns columns = columnsOf(rows);
    std::string csv = "run,epochs";
    for (std::size_t i : columns.finals)
        csv += ",final_" + finals[i]->key;
    for (std::size_t i : columns.bests)
        csv += ",best_" + bests[i]->key + ",best_" + bests[i]->key + "_epoch";
    csv += "\n";
    for (const SummaryRow &r : rows) {
        csv += csvField(r.name) + "," + std::to_string(r.epochs);
        if (r.epochs == 0) {
            csv += std::string(columns.finals.size() + 2 * columns.bests.size(), ',') + "\n";
            continue;
        }
        for (std::size_t i : columns.finals)
            csv += std::isfinite(r.finals[i]) ? "," + number(r.finals[i], "%.10g") : std::string(",");
        for (std::size_t i : columns.bests)
            csv += std::isfinite(r.bests[i]) ? "," + number(r.bests[i], "%.10g") + "," + std::to_string(r.bestEpochs[i])
                                             : std::string(",,");
        csv += "\n";
    }
    return csv;
}

std::string summaryMarkdown(const std::vector<SummaryRow> &rows)
{
    auto line = [](const std::vector<std::string> &fields) {
        std::string out = "|";
        for (const std::string &f : fields)
            out += " " + replaceAll(replaceAll(f, "|", "\\|"), "\n", " ") + " |";
        return out + "\n";
    };
    const Columns columns = columnsOf(rows);
    const std::vector<std::string> head = heads(columns);
    std::string md = line(head) + "|---|";
    for (std::size_t i = 1; i < head.size(); ++i)
        md += "---:|"; // numbers right-aligned
    md += "\n";
    for (const SummaryRow &r : rows)
        md += line(cells(r, columns));
    return md;
}

std::string summaryHtml(const std::vector<SummaryRow> &rows)
{
    const Columns columns = columnsOf(rows);
    std::string html = "<table>\n<tr>";
    for (const std::string &h : heads(columns))
        html += "<th>" + htmlEscape(h) + "</th>";
    html += "</tr>\n";
    for (const SummaryRow &r : rows) {
        html += "<tr>";
        for (const std::string &c : cells(r, columns))
            html += "<td>" + htmlEscape(c) + "</td>";
        html += "</tr>\n";
    }
    return html + "</table>\n";
}

} // namespace reglab
