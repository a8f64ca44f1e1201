// What the loss and accuracy charts share: live tracks whose points are buffered and flushed in batches with
// decimation for long runs, compared runs drawn under them, and vertical markers where a setting changed.
#pragma once

#include "ui/charts/chartbase.h"

#include <vector>

class QGraphicsSimpleTextItem;
class QScatterSeries;

namespace reglab::ui {

// A finished run drawn under the live one for comparison.
struct Overlay {
    QString label;           // legend text, e.g. "L1 0.01 (all) - L2 off - bs 50" or a user's run name
    QColor color;            // the run's colour
    QList<QPointF> points;   // already in this chart's units: (step, loss) for LossChart, (epoch, accuracy %) for
                             // AccuracyChart
    QList<QPointF> raw = {}; // when smoothed: the unsmoothed curve, drawn faint beneath (not in the legend)
    QList<std::pair<double, QString>> markers = {}; // where its settings changed (x in this chart's units, label)
    QString shortLabel = {};                        // the legend's text where `label` would not fit ("" : the label)
};

class LiveChart : public ChartBase {
    Q_OBJECT
public:
    explicit LiveChart(const QString &title, QWidget *parent = nullptr);

    // The points one chart draws at most, all its series together: a redraw costs by the points stroked, so it
    // stays bounded however many runs are compared. Each shown series gets an equal share (a faint one a fifth),
    // between kMinShownPoints and kMaxShownPoints.
    static constexpr int kPointBudget = 4 * kMaxShownPoints;
    static constexpr int kMinShownPoints = 250;
    int pointShare() const; // what one full series may show now

    // Pushes buffered points to the series (thinned: every 2nd, 4th, ... point of the full history past
    // kMaxShownPoints, and always the newest); the window calls it from its redraw tick.
    void flush() override;
    bool hasPending() const;
    // Removes every point and marker.
    virtual void clear();

    // A dashed vertical line at x with a label such as "L1=0.01".
    // A marker at the last one's x adds its label to it (several settings changed at one step).
    void addMarker(double x, const QString &label);
    int markerCount() const { return int(m_markers.size()); }
    QStringList markerLabels() const;
    QList<double> markerPositions() const;

    // Replaces the compared runs drawn under the live series; an empty list removes them. Each overlay is one
    // series in its colour with its label in the legend (after the live series' entries); the live run's series
    // stay on top and keep their colours. Axis ranges cover overlays and live data together; the log loss axis
    // clamps non-positive values as it does for live points. clear() keeps them.
    void setOverlays(const QList<Overlay> &overlays);
    int overlayCount() const { return int(m_overlays.size()); }
    QStringList overlayLabels() const;
    int overlayPointCount(int index) const;        // points shown for overlay `index`
    QList<QPointF> overlayPoints(int index) const; // the full history of overlay `index`

    // The live run's series as the comparison wants them: shown or not, and named and coloured as a run.
    void setTrackShown(int track, bool shown);
    bool trackShown(int track) const;
    // Whether a shown track has a legend entry.
    void setTrackInLegend(int track, bool inLegend);
    // `textColored`: drawn in the theme's text colour (near black on white, near white on black), not `color`.
    void setTrackLook(int track, const QString &name, const QString &shortName, const QColor &color, qreal width = 2.5,
                      Qt::PenStyle style = Qt::SolidLine, bool textColored = false);
    QString trackName(int track) const; // the long name
    static QString trackNameOf(const QLineSeries *series);
    QColor trackColor(int track) const;
    // A track drawn as a compared run (runstyle.h): its run's dashes, its markers along it, and a legend entry
    // that shows both; -1 draws it plainly again. Call after setTrackLook, which sets the pen's style. Compared
    // runs (setOverlays) are drawn in their styles whenever there are any.
    void setTrackRunStyle(int track, int styleIndex);
    int trackRunStyle(int track) const { return m_tracks[std::size_t(track)].runStyle; }

protected:
    // Empties every track (their points, not their looks), leaving markers and overlays.
    void clearTracks();
    struct Track {
        QLineSeries *series = nullptr;
        QList<QPointF> all;     // the full history
        QList<QPointF> pending; // received since the last flush
        int stride = 1;         // every stride-th point of `all` is shown
        bool extraLast = false; // the series ends with the newest point, which is off the stride
        bool inLegend = true;
        bool faint = false;             // a faint curve beneath another: a fifth of a full curve's points
        int maxShown = kMaxShownPoints; // points drawn at most: the track's share of kPointBudget
        int runStyle = -1;              // drawn in a compared run's style (runstyle.h): its index
        QScatterSeries *marks = nullptr; // then its markers, which follow the series' points
        bool dots = false;              // the series' own dots, put back when the style goes
    };
    struct Marker {
        double x = 0;
        bool overlay = false; // a compared run's: setOverlays replaces it, clear() keeps it
        QLineSeries *line = nullptr;
        QGraphicsSimpleTextItem *label = nullptr;
    };

    QLineSeries *addTrack(const QString &name, const QColor &color, qreal width = 2.5,
                          Qt::PenStyle style = Qt::SolidLine, bool inLegend = true);
    void append(int track, const QPointF &point) { m_tracks[std::size_t(track)].pending.append(point); }
    int shownCount(int track) const;
    QPointF lastShown(int track) const; // the newest point a series shows ((0, 0) when empty)
    const Track &track(int index) const { return m_tracks[std::size_t(index)]; }
    void setTrackFaint(int index);
    std::vector<Track> &tracks() { return m_tracks; }
    // The overlays' full histories (each with its series, thinned like a live track).
    const std::vector<Track> &overlayTracks() const { return m_overlays; }
    // The largest finite x among the overlays (0 without overlays).
    double overlayMaxX() const;
    // Dots on the overlay series, as on the live ones (the accuracy chart).
    void setOverlayPointsVisible(bool on) { m_overlayPoints = on; }
    // Called by setOverlays once the new histories are stored, before their series are built (so that shown()
    // may depend on them).
    virtual void overlaysChanged() {}

    // The live tracks shown in the legend (not the faint raw curves, not the chance line) and the compared runs.
    QList<Reading> readings() const override;
    // Maps a stored point to what the series shows (the log loss chart clamps non-positive values).
    virtual QPointF shown(const QPointF &p) const { return p; }
    // Called after points were flushed: adjust the axis ranges.
    virtual void updateRanges() {}
    // setYAxis after a change of transform: rebuilds the series first, then swaps, then fits the ranges.
    void swapYAxis(QAbstractAxis *axis);
    // Rebuilds every series from its history (after a change of axis or transform).
    void rebuildAll();
    // The same without fitting ranges (for use inside updateRanges).
    void rebuildSeries();
    void updateMarkers();
    // updateRanges, then the person's zoom if there is one.
    void refreshRanges();
    void autoRange() override;
    void viewChanged() override;

    void resizeEvent(QResizeEvent *event) override;
    // Keeps a series out of the legend (a reference line, a shaded area).
    void hideFromLegend(QAbstractSeries *series);

private:
    void rebuild(Track &t);
    // Gives every series its share of kPointBudget (after runs or tracks were shown or hidden).
    void sharePoints();
    Marker makeMarker(double x, const QString &label, bool overlay);
    // The legend's entries for styled tracks and the overlays, after the live series (made anew).
    void rebuildLegendEntries();
    bool trackInLegend(const Track &t) const;
    // Adds a track's or overlay's marks, if it has any, after its series (on top).
    void addMarks(const Track &t);
    void removeMarks(Track &t);
    void removeMarkers(bool overlay);
    std::vector<Track> m_tracks;
    std::vector<Marker> m_markers;
    std::vector<Track> m_overlays;              // drawn under the live series, not in the legend
    std::vector<Track> m_overlayRaw;            // the overlays' unsmoothed curves, faint, under everything
    std::vector<QLineSeries *> m_overlayLegend; // empty series after the live ones: the overlays' legend entries
    QList<Overlay> m_overlayLooks;              // the overlays' names and colours, for their entries
    bool m_overlayPoints = false;
};

} // namespace reglab::ui
