#include "ui/charts/figureexport.h"

#include "model/runrecord.h"
#include "ui/charts/chartbase.h"
#include "ui/charts/pgfplotsexport.h"

#include <QAction>
#include <QApplication>
#include <QBuffer>
#include <QChart>
#include <QClipboard>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QLegend>
#include <QLineSeries>
#include <QMenuBar>
#include <QPaintEngine>
#include <QPainter>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QSaveFile>
#include <QScatterSeries>
#include <QScreen>
#include <QSlider>
#include <QSvgGenerator>
#include <QWidget>

#include <cmath>

namespace reglab::ui {
namespace {

// A chart of ours fits its axes and legend to the size it has now (a figure's: whole names where they fit there,
// whatever the window shows), and the chart and its legend are laid out again now, not at the next event (which
// a figure is drawn before), so the legend's texts are the new ones.
void refit(QChart *chart, ChartBase *view)
{
    if (view)
        view->refitAfresh();
    QLegend *legend = chart->legend();
    if (legend->layout()) // the legend's size, for the chart's layout, from its entries' new texts
        legend->layout()->invalidate();
    static_cast<QGraphicsLayoutItem *>(legend)->updateGeometry();
    for (QGraphicsLayout *layout : {chart->layout(), legend->layout()})
        if (layout) {
            layout->invalidate();
            layout->activate();
        }
}

// A chart not shown anywhere is laid out by a scene of its own; the chart is put back where it was after.
template <typename Paint> void withChartInScene(QChart *chart, const QSize &size, Paint paint)
{
    QGraphicsScene *previous = chart->scene();
    ChartBase *view =
        previous && !previous->views().isEmpty() ? qobject_cast<ChartBase *>(previous->views().first()) : nullptr;
    const QRectF oldGeometry = chart->geometry();
    QGraphicsScene scene;
    if (previous)
        previous->removeItem(chart);
    scene.addItem(chart);
    chart->setGeometry(QRectF(QPointF(0, 0), QSizeF(size)));
    scene.setSceneRect(QRectF(QPointF(0, 0), QSizeF(size)));
    refit(chart, view);
    paint(scene);
    scene.removeItem(chart);
    if (previous) {
        previous->addItem(chart);
        chart->setGeometry(oldGeometry);
        refit(chart, view);
    }
}

QString suffixError(const QString &path)
{
    return QStringLiteral("%1: unknown figure type; use .png, .svg, .pdf or (for a chart) .tex").arg(path);
}

// The core's check, before anything is drawn: a folder, a device or an unwritable folder fails in words.
QString targetError(const QString &path)
{
    return QString::fromStdString(checkWritableTarget(QFile::encodeName(path).toStdString()));
}

QString writeError(const QString &path)
{
    return QStringLiteral("cannot write %1; is the folder writable and is there space on the disk?").arg(path);
}

// Qt writes one <text> per run of one script ("\u03bb\u2081 " then "term"), each placed by Qt's font metrics; a
// viewer whose fonts differ by a hair (rsvg) leaves gaps or overlaps between them. Adjacent runs on one line
// (same element attributes but x, nothing between them) become one <text>, which every viewer lays out whole.
QByteArray mergeTextRuns(const QByteArray &svg)
{
    static const QRegularExpression textElement(
        QStringLiteral("<text ([^>]*?)x=\"([-0-9.e]+)\"([^>]*)>([^<]*)</text>"));
    const QString in = QString::fromUtf8(svg);
    QString out;
    qsizetype copied = 0;
    QString pendingHead, pendingTail, pendingText, pendingAttributes;
    double pendingX = 0;
    qsizetype pendingEnd = -1;
    auto flush = [&] {
        if (pendingEnd >= 0)
            out += QStringLiteral("<text %1x=\"%2\"%3>%4</text>")
                       .arg(pendingHead, QString::number(pendingX), pendingTail, pendingText);
        pendingEnd = -1;
    };
    for (QRegularExpressionMatchIterator it = textElement.globalMatch(in); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        const QString attributes = m.captured(1) + QLatin1Char('|') + m.captured(3);
        const double x = m.captured(2).toDouble();
        const bool adjacent = pendingEnd >= 0 && in.mid(pendingEnd, m.capturedStart() - pendingEnd).trimmed().isEmpty();
        if (adjacent && attributes == pendingAttributes && x > pendingX) {
            pendingText += m.captured(4);
        } else {
            flush();
            out += in.mid(copied, m.capturedStart() - copied);
            pendingHead = m.captured(1);
            pendingTail = m.captured(3);
            pendingText = m.captured(4);
            pendingAttributes = attributes;
            pendingX = x;
        }
        pendingEnd = m.capturedEnd();
        copied = m.capturedEnd();
    }
    flush();
    out += in.mid(copied);
    return out.toUtf8();
}

// SVG and PDF through a painter on a device that a QSaveFile stands behind, so a failed write keeps the old file.
// `dpi`: the resolution the drawing's text was laid out for (the screen's logical one), so that the SVG's font
// sizes and its text positions agree.
template <typename Draw>
QString paintVector(const QString &path, const QSize &size, const QString &title, int dpi, Draw draw)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (const QString error = targetError(path); !error.isEmpty())
        return error;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return writeError(path);
    if (suffix == QLatin1String("svg")) {
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        {
            QSvgGenerator svg;
            svg.setOutputDevice(&buffer);
            svg.setResolution(dpi);
            svg.setSize(size);
            svg.setViewBox(QRect(QPoint(0, 0), size));
            svg.setTitle(title);
            svg.setDescription(QStringLiteral("RegLab figure"));
            QPainter painter(&svg);
            painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
            draw(painter);
        }
        const QByteArray merged = mergeTextRuns(buffer.data());
        if (file.write(merged) != merged.size())
            return writeError(path);
    } else {
        QPdfWriter pdf(&file);
        pdf.setTitle(title);
        pdf.setCreator(QStringLiteral("RegLab"));
        pdf.setPageSize(QPageSize(QSizeF(size), QPageSize::Point));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setResolution(72); // one point per logical pixel
        QPainter painter(&pdf);
        painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
        draw(painter);
    }
    return file.commit() ? QString() : writeError(path);
}

// A menu bar paints its items, then its empty area clipped around them; the SVG generator cannot clip, so the
// empty area covers the items. In an SVG the bar is drawn here instead: its background and each menu's title as
// text, where the bar shows it.
void paintMenuBar(QPainter &painter, QMenuBar *bar, const QPoint &offset)
{
    painter.save();
    painter.translate(offset);
    painter.fillRect(bar->rect(), bar->palette().color(QPalette::Window));
    painter.setFont(bar->font());
    painter.setPen(bar->palette().color(QPalette::WindowText));
    for (QAction *action : bar->actions()) {
        const QRect area = bar->actionGeometry(action);
        if (!action->isVisible() || action->isSeparator() || area.isEmpty())
            continue;
        // Each title in a group of its own: one <text> each where it stands (mergeTextRuns joins adjacent ones).
        painter.save();
        painter.translate(area.topLeft());
        painter.drawText(QRect(QPoint(0, 0), area.size()), Qt::AlignCenter | Qt::TextHideMnemonic, action->text());
        painter.restore();
    }
    painter.restore();
}

// QWidget::render() onto a PDF clips a chart's legend with its own clip in the wrong place: one entry shows, and
// no swatch. So each widget is drawn alone, clipped to what its parents show, and a chart view (any graphics
// view) as its scene, the way a single chart's export draws it, which keeps every legend entry.
void paintWidgetTree(QPainter &painter, QWidget *widget, const QPoint &offset, const QRect &clip)
{
    const bool svg = painter.paintEngine()->type() == QPaintEngine::SVG;
    if (auto *bar = qobject_cast<QMenuBar *>(widget); bar && svg) {
        paintMenuBar(painter, bar, offset);
        return;
    }
    if (svg && qobject_cast<QSlider *>(widget)) { // its groove's filled part is clipped too: a picture of it
        QImage image(widget->size() * 2, QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(2);
        image.fill(Qt::transparent);
        widget->render(&image, QPoint(), QRegion(), QWidget::DrawChildren);
        painter.drawImage(QRect(offset, widget->size()), image);
        return;
    }
    painter.save();
    if (!clip.contains(QRect(offset, widget->size()))) // a clip of ours on top of the widget's own hides text
        painter.setClipRect(clip);
    painter.translate(offset);
    widget->render(&painter, QPoint(0, 0), QRegion(), QWidget::DrawWindowBackground);
    painter.restore();
    if (auto *view = qobject_cast<QGraphicsView *>(widget); view && view->scene()) {
        const QWidget *viewport = view->viewport();
        const QRect target(offset + viewport->pos(), viewport->size());
        painter.save();
        if (!clip.contains(target))
            painter.setClipRect(clip);
        view->scene()->render(&painter, target, view->mapToScene(viewport->rect()).boundingRect(),
                              Qt::IgnoreAspectRatio);
        painter.restore();
        return;
    }
    for (QObject *object : widget->children()) {
        auto *child = qobject_cast<QWidget *>(object);
        if (!child || child->isWindow() || child->isHidden())
            continue;
        const QRect area(offset + child->pos(), child->size());
        if (clip.intersects(area))
            paintWidgetTree(painter, child, offset + child->pos(), clip.intersected(area));
    }
}

int screenDpi()
{
    const QScreen *screen = QGuiApplication::primaryScreen();
    return screen ? int(std::lround(screen->logicalDotsPerInchY())) : 96;
}

// A PNG whose pixels could not be allocated: said as memory, not blamed on the disk.
QString memoryError(const QSize &pixels)
{
    const double megabytes = 4.0 * double(pixels.width()) * double(pixels.height()) / 1e6;
    return QStringLiteral("not enough memory for a %1x%2-pixel image (%3 MB); choose a smaller size or scale")
        .arg(pixels.width())
        .arg(pixels.height())
        .arg(megabytes, 0, 'f', 0);
}

QString savePng(const QImage &image, const QSize &pixels, const QString &path)
{
    if (const QString error = targetError(path); !error.isEmpty())
        return error;
    if (image.isNull())
        return memoryError(pixels);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit())
        return writeError(path);
    return {};
}

} // namespace

QImage renderChart(QChart *chart, const QSize &size, qreal scale)
{
    QImage image(size * scale, QImage::Format_ARGB32_Premultiplied);
    if (image.isNull()) // no memory for it: nothing to draw on
        return image;
    image.setDevicePixelRatio(scale);
    image.fill(Qt::white);
    withChartInScene(chart, size, [&](QGraphicsScene &scene) {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::TextAntialiasing);
        scene.render(&painter, QRectF(QPointF(0, 0), QSizeF(size)), scene.sceneRect());
    });
    return image;
}

QString saveChart(QChart *chart, const QSize &size, const QString &path, qreal scale, const QSize &pageSize)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QSize page = pageSize.isValid() ? pageSize : size;
    if (suffix == QLatin1String("png")) { // laid out at `size`, `scale` pixels to each of the page's points
        const qreal pixelsPerPoint = scale * page.width() / size.width();
        return savePng(renderChart(chart, size, pixelsPerPoint), size * pixelsPerPoint, path);
    }
    if (suffix == QLatin1String("tex"))
        return saveText(path, chartToPgfplots(chart));
    if (suffix != QLatin1String("svg") && suffix != QLatin1String("pdf"))
        return suffixError(path);
    QString result;
    withChartInScene(chart, size, [&](QGraphicsScene &scene) {
        result = paintVector(path, page, chart->title(), screenDpi(), [&](QPainter &painter) {
            painter.setRenderHint(QPainter::Antialiasing);
            scene.render(&painter, QRectF(QPointF(0, 0), QSizeF(page)), scene.sceneRect());
        });
    });
    return result;
}

QString saveWidget(QWidget *widget, const QString &path, qreal scale)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png")) {
        QImage image(widget->size() * scale, QImage::Format_ARGB32_Premultiplied);
        if (!image.isNull()) {
            image.setDevicePixelRatio(scale);
            image.fill(Qt::white);
            const ChartBase::NoFocusFrame noFrame;
            widget->render(&image);
        }
        return savePng(image, widget->size() * scale, path);
    }
    if (suffix != QLatin1String("svg") && suffix != QLatin1String("pdf"))
        return suffixError(path);
    return paintVector(path, widget->size(), widget->windowTitle(), widget->logicalDpiY(), [&](QPainter &painter) {
        paintWidgetTree(painter, widget, QPoint(0, 0), widget->rect());
    });
}

QString saveImage(const QImage &image, const QString &path)
{
    if (QFileInfo(path).suffix().toLower() != QLatin1String("png"))
        return suffixError(path);
    return savePng(image, image.size(), path);
}

void copyImageToClipboard(const QImage &image)
{
    QApplication::clipboard()->setImage(image);
}

void copyWidget(QWidget *widget)
{
    QImage image(widget->size() * 2, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(2);
    image.fill(Qt::white);
    const ChartBase::NoFocusFrame noFrame;
    widget->render(&image);
    copyImageToClipboard(image);
}

QString exportWithDialog(QWidget *parent, QWidget *widget, const QString &baseName, qreal scale, QString &error)
{
    const QString path =
        QFileDialog::getSaveFileName(parent, QObject::tr("Export figure"), baseName + QStringLiteral(".png"),
                                     QObject::tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
    error = path.isEmpty() ? QString() : saveWidget(widget, path, scale);
    return path;
}

QString saveText(const QString &path, const QString &text)
{
    if (const QString error = targetError(path); !error.isEmpty())
        return error;
    const QByteArray bytes = text.toUtf8();
    return QString::fromStdString(writeFileAtomically(QFile::encodeName(path).toStdString(), bytes.toStdString()));
}

QString chartCsv(QChart *chart)
{
    QString csv = QStringLiteral("series,x,y\n");
    for (QAbstractSeries *abstract : chart->series()) {
        auto *series = qobject_cast<QLineSeries *>(abstract);
        if (!series || qobject_cast<QScatterSeries *>(abstract))
            continue;
        QString name = series->name();
        if (name.contains(QLatin1Char(',')) || name.contains(QLatin1Char('"')))
            name = QLatin1Char('"') + name.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
        for (const QPointF &p : series->points())
            csv += QStringLiteral("%1,%2,%3\n").arg(name).arg(p.x(), 0, 'g', 10).arg(p.y(), 0, 'g', 10);
    }
    return csv;
}

} // namespace reglab::ui
