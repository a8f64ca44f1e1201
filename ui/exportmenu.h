// File > Export figure: a live chart or the whole window as PNG (1x to 3x), SVG or PDF, to the clipboard, or
// the plotted numbers as CSV. The file formats and the dialog are figureexport's, shared with the network views.
#pragma once

#include <QMenu>

namespace reglab::ui {

class LiveChart;
class LiveView;

class ExportMenu : public QMenu {
    Q_OBJECT
public:
    // `window` is what "whole dashboard" draws; the charts are the live view's.
    ExportMenu(QWidget *window, LiveView *live, QWidget *parent = nullptr);

    qreal pngScale() const { return m_scale; }
    // PNG (at `scale`), SVG or PDF by suffix; "" or what went wrong (also sent as problem()).
    QString exportChart(LiveChart *chart, const QString &path, qreal scale = 1.0);
    QString exportDashboard(const QString &path, qreal scale = 1.0);
    void copyChart(LiveChart *chart);
    QString exportChartCsv(LiveChart *chart, const QString &path);

Q_SIGNALS:
    // What went wrong, as rich text for the banner.
    void problem(const QString &text);
    // A passing note for the status bar ("Saved loss.png").
    void message(const QString &text);

private:
    void exportDialog(QWidget *figure, const QString &name);

    QWidget *m_window;
    LiveView *m_live;
    qreal m_scale = 2.0;
};

} // namespace reglab::ui
