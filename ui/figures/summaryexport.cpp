#include "ui/figures/summaryexport.h"

#include "ui/charts/figureexport.h"
#include "ui/runs/runmodel.h"

#include <QApplication>
#include <QClipboard>
#include <QFileInfo>
#include <QMimeData>

namespace reglab::ui {

std::vector<SummaryRow> shownSummary(const RunModel &runs)
{
    std::vector<const RunRecord *> records;
    std::vector<std::string> names;
    for (int id : runs.ids())
        if (const RunRecord *record = runs.record(id); record && runs.isShown(id)) {
            records.push_back(record);
            names.push_back(runs.name(id).toStdString());
        }
    const bool differ = !records.empty() && dataSetsDiffer(records); // then each row names its data set
    std::vector<SummaryRow> rows;
    for (std::size_t i = 0; i < records.size(); ++i)
        rows.push_back(summarizeRun(differ ? withDataSet(names[i], *records[i]) : names[i], *records[i]));
    return rows;
}

void copySummary(const std::vector<SummaryRow> &rows)
{
    auto *mime = new QMimeData;
    mime->setText(QString::fromStdString(summaryMarkdown(rows)));
    mime->setHtml(QString::fromStdString(summaryHtml(rows)));
    QApplication::clipboard()->setMimeData(mime);
}

QString saveSummary(const std::vector<SummaryRow> &rows, const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("csv"))
        return saveText(path, QString::fromStdString(summaryCsv(rows)));
    if (suffix == QLatin1String("md") || suffix == QLatin1String("markdown"))
        return saveText(path, QString::fromStdString(summaryMarkdown(rows)));
    return QStringLiteral("%1: unknown table type; use .csv or .md").arg(path);
}

} // namespace reglab::ui
