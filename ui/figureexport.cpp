#include "ui/figureexport.h"

#include <QApplication>
#include <QChart>
#include <QClipboard>
#include <QFileDialog>
#include <QFileInfo>
#include <QGraphicsScene>
#include <QLineSeries>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QScatterSeries>
#include <QSvgGenerator>
#include <QWidget>

namespace reglab::ui {
namespace {

// A chart not shown anywhere is laid out by a scene of its own; the chart is put back where it was after.
template <typename Paint> void withChartInScene(QChart *chart, const QSize &size, Paint paint)
{
    QGraphicsScene *previous = chart->scene();
    const QRectF oldGeometry = chart->geometry();
    QGraphicsScene scene;
    if (previous)
        previous->removeItem(chart);
    scene.addItem(chart);
    chart->setGeometry(QRectF(QPointF(0, 0), QSizeF(size)));
    scene.setSceneRect(QRectF(QPointF(0, 0), QSizeF(size)));
    paint(scene);
    scene.removeItem(chart);
    if (previous) {
        previous->addItem(chart);
        chart->setGeometry(oldGeometry);
    }
}

QString suffixError(const QString &path)
{
    return QStringLiteral("%1: unknown figure type; use .png, .svg or .pdf").arg(path);
}

QString writeError(const QString &path)
{
    return QStringLiteral("cannot write %1; is the folder writable and is there space on the disk?").arg(path);
}

// SVG and PDF through a painter on a device that a QSaveFile stands behind, so a failed write keeps the old file.
template <typename Draw> QString paintVector(const QString &path, const QSize &size, const QString &title, Draw draw)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return writeError(path);
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setOutputDevice(&file);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setTitle(title);
        svg.setDescription(QStringLiteral("RegLab figure"));
        QPainter painter(&svg);
        painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
        draw(painter);
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

QString savePng(const QImage &image, const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit())
        return writeError(path);
    return {};
}

} // namespace

QImage renderChart(QChart *chart, const QSize &size, qreal scale)
{
    QImage image(size * scale, QImage::Format_ARGB32_Premultiplied);
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

QString saveChart(QChart *chart, const QSize &size, const QString &path, qreal scale)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png"))
        return savePng(renderChart(chart, size, scale), path);
    if (suffix != QLatin1String("svg") && suffix != QLatin1String("pdf"))
        return suffixError(path);
    QString result;
    withChartInScene(chart, size, [&](QGraphicsScene &scene) {
        result = paintVector(path, size, chart->title(), [&](QPainter &painter) {
            painter.setRenderHint(QPainter::Antialiasing);
            scene.render(&painter, QRectF(QPointF(0, 0), QSizeF(size)), scene.sceneRect());
        });
    });
    return result;
}

QString saveWidget(QWidget *widget, const QString &path, qreal scale)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png")) {
        QImage image(widget->size() * scale, QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(scale);
        image.fill(Qt::white);
        widget->render(&image);
        return savePng(image, path);
    }
    if (suffix != QLatin1String("svg") && suffix != QLatin1String("pdf"))
        return suffixError(path);
    return paintVector(path, widget->size(), widget->windowTitle(),
                       [&](QPainter &painter) { widget->render(&painter); });
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
    QSaveFile file(path);
    const QByteArray bytes = text.toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return writeError(path);
    return {};
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
