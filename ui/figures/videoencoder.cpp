// FFmpeg behind VideoEncoder: swscale converts the window's RGB frames, libavcodec encodes them (libx264, libvpx-vp9
// or gif), libavformat writes MP4, WebM or GIF; a GIF's palette comes from libavfilter's palettegen (fed as the
// frames arrive) and paletteuse (at the end, when the palette is known).
#include "ui/figures/videoencoder.h"

#include "model/safefile.h"

#include <QByteArray>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

namespace reglab::ui {

namespace {

// The distinct frames waiting for the encoder may take this much memory; beyond it addFrame waits. The encoder
// runs on idle time only, so during a run it may fall far behind (128 frames of 1280x800).
constexpr qsizetype kMaxQueuedBytes = qsizetype(512) << 20;

// A frame waiting for the encoder, and how many more times it is shown (the run between two events).
struct Queued {
    QImage image;
    int repeats = 0;
};

QString avError(int code)
{
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return QString::fromUtf8(text);
}

mode_t currentUmask()
{
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return mask;
}

} // namespace

struct VideoEncoder::Impl {
    Format format = Format::Mp4;
    QSize asked, size; // the frames' size, the video's
    int fps = 25;
    QString target, temp;

    AVFormatContext *container = nullptr;
    AVStream *stream = nullptr;
    AVCodecContext *codec = nullptr;
    SwsContext *sws = nullptr;
    AVFrame *frame = nullptr; // the encoder's (yuv420p) or a GIF's RGB frame
    AVPacket *packet = nullptr;
    std::int64_t nextPts = 0;
    qint64 lastKey = 0; // the last image's cacheKey: a repeat is not converted again
    bool haveLast = false;

    // GIF: palettegen sees every frame as it comes; the frames wait, compressed, for the palette.
    AVFilterGraph *statsGraph = nullptr;
    AVFilterContext *statsIn = nullptr, *statsOut = nullptr;
    std::vector<QByteArray> stored;

    std::thread worker;
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<Queued> queue;
    qsizetype queuedBytes = 0;
    bool closing = false;
    QString error; // the first thing that went wrong; frames after it are dropped
    int given = 0;

    ~Impl() { release(); }

    void fail(const QString &what)
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (error.isEmpty())
            error = what;
    }
    bool failed()
    {
        std::lock_guard<std::mutex> lock(mutex);
        return !error.isEmpty();
    }

    QString openCodec();
    QString openGifStats();
    void run();
    void encodeQueued(const Queued &item);
    void encodeImage(const QImage &image);
    bool convert(const QImage &image, AVFrame *into, AVPixelFormat pixelFormat);
    AVFrame *newRgbFrame() const; // RGB32 at the video's size; nullptr without memory
    bool send(AVFrame *f); // to the encoder, and its packets to the file; nullptr flushes
    QString finishGif();
    QString close(bool keep);
    void release();
};

QString VideoEncoder::formatFor(const QString &path, Format &format)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("mp4"))
        format = Format::Mp4;
    else if (suffix == QLatin1String("webm"))
        format = Format::WebM;
    else if (suffix == QLatin1String("gif"))
        format = Format::Gif;
    else
        return QStringLiteral("%1: unknown video type; use .mp4 (H.264, for slides), .webm (VP9, for the web) or "
                              ".gif")
            .arg(path);
    return {};
}

QSize VideoEncoder::videoSize(Format format, const QSize &size)
{
    return format == Format::Gif ? size : QSize(size.width() & ~1, size.height() & ~1);
}

VideoEncoder::VideoEncoder() : m(std::make_unique<Impl>()) {}

VideoEncoder::~VideoEncoder()
{
    abandon();
}

bool VideoEncoder::isOpen() const
{
    return m->container != nullptr;
}

int VideoEncoder::frameCount() const
{
    return m->given;
}

QString VideoEncoder::open(const QString &path, const QSize &size, int fps)
{
    abandon();
    m = std::make_unique<Impl>();
    av_log_set_level(AV_LOG_ERROR); // the encoders' statistics are not the user's business; errors come back in words
    if (const QString e = formatFor(path, m->format); !e.isEmpty())
        return e;
    if (size.width() < 2 || size.height() < 2 || fps < 1)
        return QStringLiteral("a video needs frames of at least 2x2 pixels and at least one frame a second");
    const std::string name = QFile::encodeName(path).toStdString();
    if (const std::string e = reglab::checkWritableTarget(name); !e.empty())
        return QString::fromStdString(e);
    std::string resolved;
    if (const std::string e = reglab::resolveSaveTarget(name, resolved); !e.empty())
        return QString::fromStdString(e);
    m->target = QFile::decodeName(resolved.c_str());
    m->asked = size;
    m->size = videoSize(m->format, size);
    m->fps = fps;

    // The temporary file: hidden, beside the target (the rename stays on one file system), named uniquely.
    const QFileInfo info(m->target);
    QByteArray pattern = QFile::encodeName(info.absolutePath() + QStringLiteral("/.") + info.fileName()) + ".XXXXXX";
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0)
        return QStringLiteral("cannot write a file beside %1 (%2)").arg(path, QString::fromLocal8Bit(strerror(errno)));
    ::close(fd);
    m->temp = QFile::decodeName(pattern);

    const char *muxer = m->format == Format::Mp4 ? "mp4" : m->format == Format::WebM ? "webm" : "gif";
    if (int e = avformat_alloc_output_context2(&m->container, nullptr, muxer, pattern.constData()); e < 0) {
        m->close(false);
        return QStringLiteral("FFmpeg has no %1 writer (%2)").arg(QLatin1String(muxer), avError(e));
    }
    QString problem = m->openCodec();
    if (problem.isEmpty() && m->format == Format::Gif)
        problem = m->openGifStats();
    if (problem.isEmpty()) {
        if (int e = avio_open(&m->container->pb, pattern.constData(), AVIO_FLAG_WRITE); e < 0)
            problem = QStringLiteral("cannot write %1 (%2)").arg(m->temp, avError(e));
    }
    if (problem.isEmpty()) {
        AVDictionary *options = nullptr;
        if (m->format == Format::Mp4) // the index first: a slide starts playing before the whole file is read
            av_dict_set(&options, "movflags", "+faststart", 0);
        const int e = avformat_write_header(m->container, &options);
        av_dict_free(&options);
        if (e < 0)
            problem = QStringLiteral("cannot start the video (%1)").arg(avError(e));
    }
    if (!problem.isEmpty()) {
        m->close(false);
        return problem;
    }
    m->worker = std::thread([impl = m.get()] { impl->run(); });
    return {};
}

QString VideoEncoder::Impl::openCodec()
{
    const char *name = format == Format::Mp4 ? "libx264" : format == Format::WebM ? "libvpx-vp9" : "gif";
    const AVCodec *encoder = avcodec_find_encoder_by_name(name);
    if (!encoder)
        return QStringLiteral("this FFmpeg has no %1 encoder; install Debian's libavcodec59 (or use another of .mp4, "
                              ".webm, .gif)")
            .arg(QLatin1String(name));
    codec = avcodec_alloc_context3(encoder);
    stream = avformat_new_stream(container, nullptr);
    frame = av_frame_alloc();
    packet = av_packet_alloc();
    if (!codec || !stream || !frame || !packet)
        return QStringLiteral("no memory for the video encoder");
    codec->width = size.width();
    codec->height = size.height();
    codec->time_base = AVRational{1, fps};
    codec->framerate = AVRational{fps, 1};
    codec->sample_aspect_ratio = AVRational{1, 1};
    if (format == Format::Gif) {
        codec->pix_fmt = AV_PIX_FMT_PAL8;
    } else {
        // yuv420p, limited range, BT.709: what PowerPoint, Keynote and every browser play, colours as meant.
        codec->pix_fmt = AV_PIX_FMT_YUV420P;
        codec->color_range = AVCOL_RANGE_MPEG;
        codec->colorspace = AVCOL_SPC_BT709;
        codec->color_primaries = AVCOL_PRI_BT709;
        codec->color_trc = AVCOL_TRC_BT709;
        codec->gop_size = 2 * fps;
        // One thread, the encoder's own: the run's matrix kernels keep the cores (spinning BLAS threads slow down
        // tenfold when another busy thread shares their cores).
        codec->thread_count = 1;
    }
    if (format == Format::Mp4) {
        // The fastest preset: most frames repeat the last (the run between two events), and every one is
        // encoded; at CRF 18 text and thin lines stay sharp, and a 15 s dashboard stays about a megabyte.
        av_opt_set(codec->priv_data, "preset", "ultrafast", 0);
        av_opt_set(codec->priv_data, "crf", "18", 0);
        av_opt_set(codec->priv_data, "profile", "high", 0);
    } else if (format == Format::WebM) {
        codec->bit_rate = 0; // constant quality
        av_opt_set(codec->priv_data, "crf", "24", 0);
        av_opt_set(codec->priv_data, "deadline", "realtime", 0);
        av_opt_set(codec->priv_data, "cpu-used", "8", 0);
        av_opt_set(codec->priv_data, "row-mt", "1", 0);
    }
    if (container->oformat->flags & AVFMT_GLOBALHEADER)
        codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if (int e = avcodec_open2(codec, encoder, nullptr); e < 0)
        return QStringLiteral("cannot start the %1 encoder (%2)").arg(QLatin1String(name), avError(e));
    if (int e = avcodec_parameters_from_context(stream->codecpar, codec); e < 0)
        return QStringLiteral("cannot set up the video stream (%1)").arg(avError(e));
    stream->time_base = codec->time_base;
    stream->avg_frame_rate = codec->framerate;
    stream->r_frame_rate = codec->framerate;
    return {};
}

QString VideoEncoder::Impl::openGifStats()
{
    statsGraph = avfilter_graph_alloc();
    if (!statsGraph)
        return QStringLiteral("no memory for the GIF's palette");
    const QByteArray args = QStringLiteral("video_size=%1x%2:pix_fmt=%3:time_base=1/%4:pixel_aspect=1/1")
                                .arg(size.width())
                                .arg(size.height())
                                .arg(int(AV_PIX_FMT_RGB32))
                                .arg(fps)
                                .toLatin1();
    AVFilterContext *stats = nullptr;
    // stats_mode=diff: the palette is made from what changes between frames, so a line drawn late keeps its colour.
    if (avfilter_graph_create_filter(&statsIn, avfilter_get_by_name("buffer"), "in", args.constData(), nullptr,
                                     statsGraph) < 0 ||
        avfilter_graph_create_filter(&stats, avfilter_get_by_name("palettegen"), "palettegen", "stats_mode=diff",
                                     nullptr, statsGraph) < 0 ||
        avfilter_graph_create_filter(&statsOut, avfilter_get_by_name("buffersink"), "out", nullptr, nullptr,
                                     statsGraph) < 0 ||
        avfilter_link(statsIn, 0, stats, 0) < 0 || avfilter_link(stats, 0, statsOut, 0) < 0 ||
        avfilter_graph_config(statsGraph, nullptr) < 0)
        return QStringLiteral("this FFmpeg cannot make a GIF palette (palettegen)");
    return {};
}

void VideoEncoder::addFrame(const QImage &image, bool exact)
{
    if (!isOpen() || image.isNull())
        return;
    std::unique_lock<std::mutex> lock(m->mutex);
    if (!m->error.isEmpty())
        return;
    ++m->given;
    const bool full = !m->queue.empty() && m->queuedBytes + image.sizeInBytes() > kMaxQueuedBytes;
    if (!m->queue.empty() && (m->queue.back().image.cacheKey() == image.cacheKey() || (full && !exact))) {
        ++m->queue.back().repeats; // the same picture again (or, when full, instead): a count, no memory, no wait
        return;
    }
    // Waits only when the backlog is over its memory (one frame always goes in, whatever its size).
    m->changed.wait(lock, [this, &image] {
        return m->queue.empty() || m->queuedBytes + image.sizeInBytes() <= kMaxQueuedBytes || !m->error.isEmpty();
    });
    if (!m->error.isEmpty())
        return;
    m->queue.push_back({image, 0});
    m->queuedBytes += image.sizeInBytes();
    m->changed.notify_all();
}

void VideoEncoder::Impl::run()
{
    // Only on a core nothing else wants (SCHED_IDLE; where refused, the lowest priority): a frame encoded later
    // costs nothing, a training step slowed costs the run (spinning matrix kernels slow down manyfold when a busy
    // thread shares their cores). What is left at the end is encoded by finish(), at the caller's priority.
    ::pthread_setname_np(::pthread_self(), "reglab-encoder"); // what top and a debugger name it
    sched_param idle{};
    if (::pthread_setschedparam(::pthread_self(), SCHED_IDLE, &idle) != 0)
        ::setpriority(PRIO_PROCESS, pid_t(::gettid()), 19);
    for (;;) {
        Queued item;
        {
            std::unique_lock<std::mutex> lock(mutex);
            changed.wait(lock, [this] { return !queue.empty() || closing; });
            if (closing)
                return;
            item = queue.front();
            queue.pop_front();
        }
        encodeQueued(item);
        std::lock_guard<std::mutex> lock(mutex);
        queuedBytes -= item.image.sizeInBytes(); // its memory is free only now
        changed.notify_all();                    // room in the queue
    }
}

void VideoEncoder::Impl::encodeQueued(const Queued &item)
{
    for (int i = 0; i <= item.repeats && !failed(); ++i)
        encodeImage(item.image);
}

bool VideoEncoder::Impl::convert(const QImage &input, AVFrame *into, AVPixelFormat pixelFormat)
{
    const QImage image = input.format() == QImage::Format_RGB32 || input.format() == QImage::Format_ARGB32 ||
                                 input.format() == QImage::Format_ARGB32_Premultiplied
                             ? input
                             : input.convertToFormat(QImage::Format_RGB32);
    // Frames of the asked size lose an odd last row or column; others are scaled to the video.
    const QSize source = image.size() == asked ? size : image.size();
    sws = sws_getCachedContext(sws, source.width(), source.height(), AV_PIX_FMT_RGB32, size.width(), size.height(),
                               pixelFormat, SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, nullptr, nullptr,
                               nullptr);
    if (!sws) {
        fail(QStringLiteral("cannot convert the frames for the encoder"));
        return false;
    }
    if (pixelFormat == AV_PIX_FMT_YUV420P) {
        const int *bt709 = sws_getCoefficients(SWS_CS_ITU709);
        sws_setColorspaceDetails(sws, bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16);
    }
    const uint8_t *planes[1] = {image.constBits()};
    const int strides[1] = {int(image.bytesPerLine())};
    sws_scale(sws, planes, strides, 0, source.height(), into->data, into->linesize);
    return true;
}

AVFrame *VideoEncoder::Impl::newRgbFrame() const
{
    AVFrame *rgb = av_frame_alloc();
    if (!rgb)
        return nullptr;
    rgb->format = AV_PIX_FMT_RGB32;
    rgb->width = size.width();
    rgb->height = size.height();
    if (av_frame_get_buffer(rgb, 0) < 0)
        av_frame_free(&rgb);
    return rgb;
}

void VideoEncoder::Impl::encodeImage(const QImage &image)
{
    const bool repeat = haveLast && image.cacheKey() == lastKey;
    lastKey = image.cacheKey();
    haveLast = true;
    if (format == Format::Gif) {
        if (repeat && !stored.empty()) {
            stored.push_back(stored.back()); // shared, not copied
            ++nextPts;
            return;
        }
        // A fresh frame each time: palettegen keeps a reference to what it was given.
        AVFrame *rgb = newRgbFrame();
        if (!rgb) {
            fail(QStringLiteral("no memory for a frame of the GIF"));
            return;
        }
        if (!convert(image, rgb, AV_PIX_FMT_RGB32)) {
            av_frame_free(&rgb);
            return;
        }
        // Kept compressed until the palette is known: a window's frames shrink tenfold or more.
        QByteArray raw;
        raw.reserve(size.width() * size.height() * 4);
        for (int y = 0; y < size.height(); ++y)
            raw.append(reinterpret_cast<const char *>(rgb->data[0] + std::ptrdiff_t(y) * rgb->linesize[0]),
                       size.width() * 4);
        stored.push_back(qCompress(raw, 1));
        rgb->pts = nextPts++;
        if (int e = av_buffersrc_add_frame_flags(statsIn, rgb, AV_BUFFERSRC_FLAG_PUSH); e < 0)
            fail(QStringLiteral("cannot make the GIF's palette (%1)").arg(avError(e)));
        av_frame_free(&rgb);
        return;
    }
    if (!repeat) {
        if (frame->width == 0) {
            frame->format = codec->pix_fmt;
            frame->width = size.width();
            frame->height = size.height();
            if (av_frame_get_buffer(frame, 0) < 0) {
                fail(QStringLiteral("no memory for a frame of the video"));
                return;
            }
        }
        // The encoder may still hold the last frame's pixels.
        if (av_frame_make_writable(frame) < 0) {
            fail(QStringLiteral("no memory for a frame of the video"));
            return;
        }
        if (!convert(image, frame, codec->pix_fmt))
            return;
    }
    frame->pts = nextPts++;
    send(frame);
}

bool VideoEncoder::Impl::send(AVFrame *f)
{
    if (int e = avcodec_send_frame(codec, f); e < 0) {
        fail(QStringLiteral("the encoder refused a frame (%1)").arg(avError(e)));
        return false;
    }
    for (;;) {
        const int e = avcodec_receive_packet(codec, packet);
        if (e == AVERROR(EAGAIN) || e == AVERROR_EOF)
            return true;
        if (e < 0) {
            fail(QStringLiteral("the encoder failed (%1)").arg(avError(e)));
            return false;
        }
        if (packet->duration == 0)
            packet->duration = 1; // one frame: the GIF's delay, the video's last frame
        av_packet_rescale_ts(packet, codec->time_base, stream->time_base);
        packet->stream_index = stream->index;
        if (int w = av_interleaved_write_frame(container, packet); w < 0) {
            fail(QStringLiteral("cannot write the video (%1); is there space on the disk?").arg(avError(w)));
            return false;
        }
    }
}

QString VideoEncoder::Impl::finishGif()
{
    if (stored.empty())
        return QStringLiteral("no frames were recorded");
    if (int e = av_buffersrc_add_frame_flags(statsIn, nullptr, 0); e < 0)
        return QStringLiteral("cannot make the GIF's palette (%1)").arg(avError(e));
    AVFrame *palette = av_frame_alloc();
    if (!palette || av_buffersink_get_frame(statsOut, palette) < 0) {
        av_frame_free(&palette);
        return QStringLiteral("cannot make the GIF's palette (palettegen gave none)");
    }

    // paletteuse: each frame in the palette; diff_mode=rectangle re-dithers only what changed, so the gif encoder's
    // frame differencing (transparent unchanged pixels, frames cropped to the change) keeps the file small.
    AVFilterGraph *graph = avfilter_graph_alloc();
    AVFilterContext *in = nullptr, *pal = nullptr, *use = nullptr, *out = nullptr;
    const auto source = [&](int w, int h) {
        return QStringLiteral("video_size=%1x%2:pix_fmt=%3:time_base=1/%4:pixel_aspect=1/1")
            .arg(w)
            .arg(h)
            .arg(int(AV_PIX_FMT_RGB32))
            .arg(fps)
            .toLatin1();
    };
    const QByteArray inArgs = source(size.width(), size.height());
    const QByteArray palArgs = source(palette->width, palette->height);
    QString problem;
    if (!graph ||
        avfilter_graph_create_filter(&in, avfilter_get_by_name("buffer"), "in", inArgs.constData(), nullptr, graph) <
            0 ||
        avfilter_graph_create_filter(&pal, avfilter_get_by_name("buffer"), "palette", palArgs.constData(), nullptr,
                                     graph) < 0 ||
        avfilter_graph_create_filter(&use, avfilter_get_by_name("paletteuse"), "paletteuse",
                                     "dither=bayer:bayer_scale=5:diff_mode=rectangle", nullptr, graph) < 0 ||
        avfilter_graph_create_filter(&out, avfilter_get_by_name("buffersink"), "out", nullptr, nullptr, graph) < 0 ||
        avfilter_link(in, 0, use, 0) < 0 || avfilter_link(pal, 0, use, 1) < 0 || avfilter_link(use, 0, out, 0) < 0 ||
        avfilter_graph_config(graph, nullptr) < 0)
        problem = QStringLiteral("this FFmpeg cannot use a GIF palette (paletteuse)");
    palette->pts = 0;
    if (problem.isEmpty() && (av_buffersrc_add_frame(pal, palette) < 0 || av_buffersrc_add_frame(pal, nullptr) < 0))
        problem = QStringLiteral("cannot use the GIF's palette");
    av_frame_free(&palette);

    AVFrame *indexed = av_frame_alloc();
    const auto drain = [&]() {
        for (;;) {
            const int e = av_buffersink_get_frame(out, indexed);
            if (e == AVERROR(EAGAIN) || e == AVERROR_EOF)
                return true;
            if (e < 0) {
                problem = QStringLiteral("cannot put the frames in the palette (%1)").arg(avError(e));
                return false;
            }
            const bool sent = send(indexed);
            av_frame_unref(indexed);
            if (!sent)
                return false;
        }
    };
    for (std::size_t i = 0; problem.isEmpty() && i < stored.size() && !failed(); ++i) {
        const QByteArray raw = qUncompress(stored[i]);
        AVFrame *rgb = newRgbFrame();
        if (!rgb || raw.size() != size.width() * size.height() * 4) {
            av_frame_free(&rgb);
            problem = QStringLiteral("no memory for the GIF's frames");
            break;
        }
        for (int y = 0; y < size.height(); ++y)
            std::memcpy(rgb->data[0] + std::ptrdiff_t(y) * rgb->linesize[0],
                        raw.constData() + std::ptrdiff_t(y) * size.width() * 4, std::size_t(size.width()) * 4);
        rgb->pts = std::int64_t(i);
        if (int e = av_buffersrc_add_frame(in, rgb); e < 0)
            problem = QStringLiteral("cannot put the frames in the palette (%1)").arg(avError(e));
        av_frame_free(&rgb);
        if (problem.isEmpty())
            drain();
    }
    if (problem.isEmpty() && av_buffersrc_add_frame(in, nullptr) >= 0)
        drain();
    av_frame_free(&indexed);
    avfilter_graph_free(&graph);
    return problem;
}

QString VideoEncoder::finish()
{
    if (!isOpen())
        return QStringLiteral("no video is being recorded");
    {
        std::lock_guard<std::mutex> lock(m->mutex);
        m->closing = true;
        m->changed.notify_all();
    }
    if (m->worker.joinable())
        m->worker.join();
    // The frames the idle encoder has not reached: encoded here, at the caller's priority (the run is over; a
    // thread cannot raise its own priority back without privileges).
    while (!m->queue.empty() && !m->failed()) {
        m->encodeQueued(m->queue.front());
        m->queuedBytes -= m->queue.front().image.sizeInBytes();
        m->queue.pop_front();
    }
    m->queue.clear();
    QString problem = m->given == 0 ? QStringLiteral("no frames were recorded") : QString();
    if (problem.isEmpty() && !m->failed() && m->format == Format::Gif)
        problem = m->finishGif();
    if (problem.isEmpty() && !m->failed())
        m->send(nullptr); // the frames the encoder still holds
    if (problem.isEmpty() && m->failed())
        problem = m->error;
    if (problem.isEmpty())
        problem = m->close(true);
    else
        m->close(false);
    return problem.isEmpty() ? QString() : QStringLiteral("%1: %2").arg(m->target, problem);
}

// Ends the file: written whole, synced and renamed onto the target (`keep`), or removed.
QString VideoEncoder::Impl::close(bool keep)
{
    QString problem;
    if (container && keep) {
        if (int e = av_write_trailer(container); e < 0)
            problem = QStringLiteral("cannot finish the video (%1)").arg(avError(e));
    }
    if (container && container->pb)
        avio_closep(&container->pb);
    const QByteArray temporary = QFile::encodeName(temp);
    if (keep && problem.isEmpty()) {
        // The mode a new file gets (or the old one's), the bytes on the disk, then the name.
        struct stat old {};
        const QByteArray name = QFile::encodeName(target);
        const mode_t mode = ::stat(name.constData(), &old) == 0 ? (old.st_mode & 07777) : (0666 & ~currentUmask());
        const int fd = ::open(temporary.constData(), O_RDONLY | O_CLOEXEC);
        const bool synced = fd >= 0 && ::fchmod(fd, mode) == 0 && ::fsync(fd) == 0;
        if (fd >= 0)
            ::close(fd);
        if (!synced || ::rename(temporary.constData(), name.constData()) != 0)
            problem = QStringLiteral("cannot write %1 (%2)").arg(target, QString::fromLocal8Bit(strerror(errno)));
    }
    if (!temp.isEmpty() && (!keep || !problem.isEmpty()))
        ::unlink(temporary.constData());
    temp.clear();
    release();
    return problem;
}

void VideoEncoder::Impl::release()
{
    if (worker.joinable()) {
        {
            std::lock_guard<std::mutex> lock(mutex);
            closing = true;
            changed.notify_all();
        }
        worker.join();
    }
    avfilter_graph_free(&statsGraph);
    sws_freeContext(sws);
    sws = nullptr;
    av_frame_free(&frame);
    av_packet_free(&packet);
    avcodec_free_context(&codec);
    if (container) {
        if (container->pb)
            avio_closep(&container->pb);
        avformat_free_context(container);
        container = nullptr;
    }
    stored.clear();
}

void VideoEncoder::abandon()
{
    if (!m)
        return;
    {
        std::lock_guard<std::mutex> lock(m->mutex);
        m->queue.clear();
        m->closing = true;
        m->changed.notify_all();
    }
    if (m->worker.joinable())
        m->worker.join();
    m->close(false);
}

} // namespace reglab::ui
