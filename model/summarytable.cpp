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

// The people's columns (Markdown, HTML): a run without epochs shows dashes.
std::vector<std::string> heads()
{
    std::vector<std::string> out{"Run", "Epochs"};
    for (const Metric *m : summarized(false))
        out.push_back("Final " + m->brief());
    for (const Metric *m : summarized(true))
        out.push_back("Best " + m->brief() + " (epoch)");
    return out;
}

std::vector<std::string> cells(const SummaryRow &r)
{
    std::vector<std::string> out{r.name, std::to_string(r.epochs)};
    const auto finals = summarized(false), bests = summarized(true);
    if (r.epochs == 0) {
        out.resize(2 + finals.size() + bests.size(), "-");
        return out;
    }
    for (std::size_t i = 0; i < finals.size(); ++i)
        out.push_back(shown(*finals[i], r.finals[i]));
    for (std::size_t i = 0; i < bests.size(); ++i)
        out.push_back(shown(*bests[i], r.bests[i]) + " (" + std::to_string(r.bestEpochs[i]) + ")");
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
    std::string csv = "run,epochs";
    for (const Metric *m : finals)
        csv += ",final_" + m->key;
    for (const Metric *m : bests)
        csv += ",best_" + m->key + ",best_" + m->key + "_epoch";
    csv += "\n";
    for (const SummaryRow &r : rows) {
        csv += csvField(r.name) + "," + std::to_string(r.epochs);
        if (r.epochs == 0) {
            csv += std::string(finals.size() + 2 * bests.size(), ',') + "\n";
            continue;
        }
        for (double v : r.finals)
            csv += std::isfinite(v) ? "," + number(v, "%.10g") : std::string(",");
        for (std::size_t i = 0; i < r.bests.size(); ++i)
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
    const std::vector<std::string> head = heads();
    std::string md = line(head) + "|---|";
    for (std::size_t i = 1; i < head.size(); ++i)
        md += "---:|"; // numbers right-aligned
    md += "\n";
    for (const SummaryRow &r : rows)
        md += line(cells(r));
    return md;
}

std::string summaryHtml(const std::vector<SummaryRow> &rows)
{
    std::string html = "<table>\n<tr>";
    for (const std::string &h : heads())
        html += "<th>" + htmlEscape(h) + "</th>";
    html += "</tr>\n";
    for (const SummaryRow &r : rows) {
        html += "<tr>";
        for (const std::string &c : cells(r))
            html += "<td>" + htmlEscape(c) + "</td>";
        html += "</tr>\n";
    }
    return html + "</table>\n";
}

} // namespace reglab
