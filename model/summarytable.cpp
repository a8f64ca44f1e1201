#include "model/summarytable.h"

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

// The people's columns (Markdown, HTML): a run without epochs shows dashes.
const std::vector<std::string> kHeads = {"Run",
                                         "Epochs",
                                         "Final val acc",
                                         "Final test acc",
                                         "Best val acc (epoch)",
                                         "Best test acc (epoch)",
                                         "Final train loss",
                                         "Final val loss",
                                         "fc1 small",
                                         "fc1 zero"};

std::vector<std::string> cells(const SummaryRow &r)
{
    std::vector<std::string> out{r.name, std::to_string(r.epochs)};
    if (r.epochs == 0) {
        out.resize(kHeads.size(), "-");
        return out;
    }
    out.push_back(percent(r.finalVal));
    out.push_back(percent(r.finalTest));
    out.push_back(percent(r.bestVal) + " (" + std::to_string(r.bestValEpoch) + ")");
    out.push_back(percent(r.bestTest) + " (" + std::to_string(r.bestTestEpoch) + ")");
    out.push_back(number(r.finalTrainLoss, "%.4f"));
    out.push_back(number(r.finalValLoss, "%.4f"));
    out.push_back(r.hasSparsity ? percent(r.fc1Small) : "-");
    out.push_back(r.hasSparsity ? percent(r.fc1Zero) : "-");
    return out;
}

} // namespace

SummaryRow summarizeRun(const std::string &name, const RunRecord &record)
{
    SummaryRow row;
    row.name = name;
    row.epochs = int(record.epochs.size());
    if (record.epochs.empty())
        return row;
    const EpochRecord &last = record.epochs.back();
    row.finalVal = last.valAccuracy;
    row.finalTest = last.testAccuracy;
    row.finalTrainLoss = last.trainLoss;
    row.finalValLoss = last.valLoss;
    row.bestVal = row.bestTest = -1;
    for (const EpochRecord &e : record.epochs) {
        if (e.valAccuracy > row.bestVal) {
            row.bestVal = e.valAccuracy;
            row.bestValEpoch = e.epoch;
        }
        if (e.testAccuracy > row.bestTest) {
            row.bestTest = e.testAccuracy;
            row.bestTestEpoch = e.epoch;
        }
    }
    for (const LayerStats &layer : last.layers) {
        if (layer.name == "fc1") {
            row.hasSparsity = true;
            row.fc1Small = layer.smallFraction;
            row.fc1Zero = layer.zeroFraction;
        }
    }
    return row;
}

std::string summaryCsv(const std::vector<SummaryRow> &rows)
{
    std::string csv = "run,epochs,final_val_accuracy,final_test_accuracy,best_val_accuracy,best_val_epoch,"
                      "best_test_accuracy,best_test_epoch,final_train_loss,final_val_loss,fc1_small_fraction,"
                      "fc1_zero_fraction\n";
    for (const SummaryRow &r : rows) {
        csv += csvField(r.name) + "," + std::to_string(r.epochs);
        if (r.epochs == 0) {
            csv += ",,,,,,,,,,\n";
            continue;
        }
        for (double v : {r.finalVal, r.finalTest})
            csv += "," + number(v, "%.10g");
        csv += "," + number(r.bestVal, "%.10g") + "," + std::to_string(r.bestValEpoch);
        csv += "," + number(r.bestTest, "%.10g") + "," + std::to_string(r.bestTestEpoch);
        for (double v : {r.finalTrainLoss, r.finalValLoss})
            csv += "," + number(v, "%.10g");
        csv += r.hasSparsity ? "," + number(r.fc1Small, "%.10g") + "," + number(r.fc1Zero, "%.10g") : ",,";
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
    std::string md = line(kHeads) + "|---|";
    for (std::size_t i = 1; i < kHeads.size(); ++i)
        md += "---:|"; // numbers right-aligned
    md += "\n";
    for (const SummaryRow &r : rows)
        md += line(cells(r));
    return md;
}

std::string summaryHtml(const std::vector<SummaryRow> &rows)
{
    std::string html = "<table>\n<tr>";
    for (const std::string &h : kHeads)
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
