// A chart as a LaTeX pgfplots figure for papers: the plotted numbers inline, the legend's entries in their
// colours and line styles, axis titles with Greek letters and subscripts in math mode, log axes kept.
// The file compiles on its own with pdflatex (article class, the page cropped to the figure) and can
// also be \input into a paper that loads pgfplots: there the preamble and \end{document} are skipped.
#pragma once

#include <QList>
#include <QPointF>
#include <QString>
#include <QStringList>

class QChart;

namespace reglab::ui {

// Text for LaTeX: # $ % & _ { } ~ ^ \ escaped; λ, Σ, ·, ₁, ² and friends in math mode ("λ₁" -> "$\lambda_1$");
// characters pdflatex's T1 fonts lack become '?'.
QString latexText(const QString &text);

// The chart's texts (title, axis titles, legend entries) with characters pdflatex's fonts lack (CJK, emoji),
// which the .tex shows as '?': for a warning that names them.
QStringList textsLatexLoses(QChart *chart, const QString &title = {});

// At most `maxPoints` points that keep the curve's shape: the first and last, and per bucket its lowest and
// highest point in x order (spikes survive, unlike every n-th point).
QList<QPointF> thinPoints(const QList<QPointF> &points, int maxPoints);

// The chart as a .tex document; `title` overrides the chart's own (a live chart may hide its title when small).
QString chartToPgfplots(QChart *chart, const QString &title = {}, int maxPointsPerSeries = 400);

} // namespace reglab::ui
