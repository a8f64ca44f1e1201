// A video or GIF of a window or a chart, frame by frame, through FFmpeg's libraries: H.264 in MP4 (yuv420p, for
// slides), VP9 in WebM (the web), GIF with a palette made for its frames. The frames are encoded on a thread of
// their own; the file is written beside the target and renamed onto it when finished, so the target's name never
// holds half a video, and a recording ended early still leaves a playable file of what it got. The encoder's thread
// runs only on a core nothing else wants, so a run recorded trains at full speed; finish() encodes the rest.
#pragma once

#include <QImage>
#include <QSize>
#include <QString>

#include <memory>

namespace reglab::ui {

class VideoEncoder {
public:
    enum class Format { Mp4, WebM, Gif };
    // The format a file name asks for by its suffix; "" or what is wrong with the name, in words.
    static QString formatFor(const QString &path, Format &format);
    // The size a video of `size` frames has: H.264 and VP9 in yuv420p need even sides (an odd one loses its
    // last row or column), a GIF keeps it.
    static QSize videoSize(Format format, const QSize &size);

    VideoEncoder();
    ~VideoEncoder(); // an unfinished video is abandoned: its temporary file is removed
    VideoEncoder(const VideoEncoder &) = delete;
    VideoEncoder &operator=(const VideoEncoder &) = delete;

    // Opens a temporary file beside `path` for frames of `size` at `fps` frames a second and starts the encoder's
    // thread. "" or what is wrong (an unknown suffix, a folder, an unwritable place, a missing encoder).
    QString open(const QString &path, const QSize &size, int fps);
    bool isOpen() const;
    // Queues a frame (RGB32 or ARGB32; another size is scaled to the video's). The same image given again is a
    // count, not a copy, and costs no conversion. Returns at once unless the distinct frames waiting for the encoder
    // (which runs on idle cores only) hold over 512 MiB; then an `exact` frame waits for room, and another is
    // replaced by the last one queued (a recording's frames between its first and last: the run is not held up).
    void addFrame(const QImage &frame, bool exact = true);
    // The frames given so far.
    int frameCount() const;
    // Encodes what is still queued (on the calling thread, at its priority), closes the file and renames it onto the target; "" or what went wrong (then the
    // target is left as it was and the temporary file removed). A GIF gets its palette and frames now.
    QString finish();
    // Stops and removes the temporary file; the target is left as it was.
    void abandon();

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

} // namespace reglab::ui
