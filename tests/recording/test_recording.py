"""Recording writers: a short recording reopens with Pillow with the frames, size, timing and
pixels that went in; memory does not grow with its length; a cancelled one leaves nothing."""
import os
import shutil
import subprocess
import sys
import tracemalloc

import numpy as np
import pytest
from PIL import Image

from playground.recording import (FORMATS, ApngWriter, GifWriter, Mp4Writer, format_for,
                                  open_recording)
from playground.recording.frames import centisecond_delays, changed_box
from playground.storage import StorageError

WIDTH, HEIGHT, FRAMES = 64, 48, 12
PALETTE = np.array([[245, 147, 34], [8, 119, 189], [232, 234, 235], [40, 40, 40]], np.uint8)


def few_colour_frame(index: int, width: int = WIDTH, height: int = HEIGHT) -> np.ndarray:
    """A frame in the app's few flat colours with a bar that moves (changes every frame)."""
    frame = np.empty((height, width, 3), np.uint8)
    frame[:] = PALETTE[2]
    frame[height // 3:, : width // 2] = PALETTE[0]
    top = (3 * index) % (height - 6)
    frame[top: top + 6, 10:30] = PALETTE[1]
    frame[1, 1 + index % (width - 2)] = PALETTE[3]
    return frame


def gradient_frame(index: int) -> np.ndarray:
    """The boundary's kind of picture: a smooth orange-white-blue shading (over 256 colours)."""
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    t = (np.sin(x / 9 + y / 13 + index / 3) + 1)[..., None] / 2
    orange, white, blue = PALETTE[0].astype(float), PALETTE[2].astype(float), PALETTE[1]
    shade = np.where(t < 0.5, orange + (white - orange) * 2 * t,
                     white + (blue - white) * (2 * t - 1))
    return shade.round().astype(np.uint8)


def record(writer_type, path, frames, fps=15):
    with writer_type(path, fps) as writer:
        for frame in frames:
            writer.add_frame(frame)
    return path


def reopened(path):
    """(frames as RGB arrays, durations in ms, loop) as Pillow reads the file."""
    with Image.open(path) as image:
        frames, durations = [], []
        for index in range(image.n_frames):
            image.seek(index)
            frames.append(np.asarray(image.convert("RGB")))
            durations.append(image.info["duration"])
        return frames, durations, image.info.get("loop")


@pytest.mark.parametrize("writer_type, name", [(GifWriter, "r.gif"), (ApngWriter, "r.png")])
def test_a_short_recording_has_its_frames_size_timing_and_pixels(tmp_path, writer_type, name):
    frames = [few_colour_frame(index) for index in range(FRAMES)]
    frames[5] = frames[4].copy()                                 # a frame where nothing moved
    record(writer_type, tmp_path / name, frames, fps=10)
    with Image.open(tmp_path / name) as image:
        assert (image.format, image.n_frames, image.size) == (
            "GIF" if writer_type is GifWriter else "PNG", FRAMES, (WIDTH, HEIGHT))
    decoded, durations, loop = reopened(tmp_path / name)
    assert durations == [100] * FRAMES and loop == 0
    for index, (got, expected) in enumerate(zip(decoded, frames)):
        assert np.array_equal(got, expected), index               # few colours: exact in both


def test_an_animated_png_is_lossless_for_any_picture(tmp_path):
    rng = np.random.default_rng(0)
    frames = [rng.integers(0, 256, (HEIGHT, WIDTH, 3), dtype=np.uint8) for _ in range(4)]
    frames += [gradient_frame(index) for index in range(FRAMES - 4)]
    decoded, durations, _ = reopened(record(ApngWriter, tmp_path / "r.png", frames, fps=15))
    assert all(np.array_equal(got, expected) for got, expected in zip(decoded, frames))
    assert durations == pytest.approx([1000 / 15] * FRAMES)


def test_a_gif_shades_the_boundary_within_a_few_levels_and_keeps_time(tmp_path):
    frames = [gradient_frame(index) for index in range(FRAMES + 3)]
    decoded, durations, _ = reopened(record(GifWriter, tmp_path / "r.gif", frames, fps=15))
    for got, expected in zip(decoded, frames):
        assert np.abs(got.astype(int) - expected).max() <= 6
    assert sum(durations) == 1000 and set(durations) == {60, 70}    # 15 frames: one second


def test_gif_delays_stay_on_time():
    delays = centisecond_delays(15)
    first = [next(delays) for _ in range(45)]
    assert sum(first) == 300 and set(first) == {6, 7}
    assert [next(centisecond_delays(fps)) for fps in (10, 25, 50, 1)] == [10, 4, 2, 100]


def test_only_the_changed_rectangle_is_encoded():
    before = few_colour_frame(0)
    after = before.copy()
    after[10:13, 20:25] = 0
    assert changed_box(None, before) == (0, 0, WIDTH, HEIGHT)
    assert changed_box(before, after) == (20, 10, 5, 3)
    assert changed_box(before, before) == (0, 0, 1, 1)


def rolling_stripes(index: int, width: int = 320, height: int = 240) -> np.ndarray:
    """Every pixel changes from one frame to the next, so each frame costs the same to encode."""
    stripes = PALETTE[(np.arange(width) // 7 + index) % len(PALETTE)]
    return np.ascontiguousarray(np.broadcast_to(stripes, (height, width, 3)))


@pytest.mark.parametrize("writer_type, suffix", [(GifWriter, ".gif"), (ApngWriter, ".png")])
def test_memory_does_not_grow_with_the_number_of_frames(tmp_path, writer_type, suffix):
    def peak(frames: int) -> int:
        tracemalloc.start()     # Python's and NumPy's allocations (Pillow's pixel buffers are not)
        try:
            with writer_type(tmp_path / f"{frames}{suffix}", 15) as writer:
                for index in range(frames):
                    writer.add_frame(rolling_stripes(index))
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak(4)                                     # imports and caches out of the way
    short, long = peak(8), peak(96)
    frame_bytes = 320 * 240 * 3
    assert long < short + frame_bytes // 4, (short, long)
    assert long < 8 * frame_bytes               # a few frames' worth, not 96


@pytest.mark.parametrize("writer_type, suffix", [(GifWriter, ".gif"), (ApngWriter, ".png")])
def test_a_cancelled_recording_leaves_no_file_and_the_old_one_untouched(tmp_path, writer_type,
                                                                        suffix):
    target = tmp_path / f"old{suffix}"
    target.write_bytes(b"the previous recording")
    writer = writer_type(target, 15)
    for index in range(3):
        writer.add_frame(few_colour_frame(index))
    writer.cancel()
    writer.cancel()
    assert sorted(os.listdir(tmp_path)) == [target.name]
    assert target.read_bytes() == b"the previous recording"
    with pytest.raises(RuntimeError):
        with writer_type(tmp_path / f"new{suffix}", 15) as failing:
            failing.add_frame(few_colour_frame(0))
            raise RuntimeError("the window closed")
    with pytest.raises(StorageError, match="at least one frame"):
        writer_type(tmp_path / f"empty{suffix}", 15).close()
    assert sorted(os.listdir(tmp_path)) == [target.name]


class FullDisk:
    """The writer's file as a full disk makes it: writing fails, closing works."""

    def __init__(self, stream):
        self.stream = stream
        self.closed = False

    def write(self, data):
        raise OSError(28, "No space left on device")

    def close(self):
        self.closed = True
        self.stream.close()


@pytest.mark.parametrize("writer_type, suffix", [(GifWriter, ".gif"), (ApngWriter, ".png")])
def test_a_full_disk_ends_the_recording_with_a_message_and_no_file(tmp_path, writer_type,
                                                                   suffix):
    writer = writer_type(tmp_path / f"r{suffix}", 15)
    writer._file.stream = FullDisk(writer._file.stream)
    with pytest.raises(StorageError, match=f"cannot record .*r{suffix}: No space left on device"):
        writer.add_frame(few_colour_frame(0))
    assert os.listdir(tmp_path) == []
    with pytest.raises(ValueError, match="closed"):
        writer.add_frame(few_colour_frame(1))


def test_bad_frames_and_rates_are_refused(tmp_path):
    with pytest.raises(ValueError, match="fps is 0; it must be 1..50"):
        GifWriter(tmp_path / "r.gif", 0)
    with pytest.raises(ValueError, match="fps is 61; it must be 1..60"):
        ApngWriter(tmp_path / "r.png", 61)
    writer = ApngWriter(tmp_path / "r.png", 15)
    with pytest.raises(ValueError, match="not a float64 array of shape \\(48, 64, 3\\)"):
        writer.add_frame(np.zeros((48, 64, 3)))
    with pytest.raises(ValueError, match="not a uint8 array of shape \\(48, 64, 4\\)"):
        writer.add_frame(np.zeros((48, 64, 4), np.uint8))
    writer.add_frame(few_colour_frame(0))
    with pytest.raises(ValueError, match="frame 2 is 32×48 pixels; the recording is 64×48"):
        writer.add_frame(np.zeros((48, 32, 3), np.uint8))
    writer.close()
    with pytest.raises(ValueError, match="closed"):
        writer.add_frame(few_colour_frame(1))
    assert Image.open(tmp_path / "r.png").n_frames == 1


def test_the_format_follows_the_suffix(tmp_path):
    assert [format_for(name) for name in ("a.GIF", "b.png", "c.apng", "d.mp4")] == \
        ["gif", "apng", "apng", "mp4"]
    with pytest.raises(ValueError, match="a recording is saved as .gif, .png, .apng, .mp4"):
        format_for("x.avi")
    assert isinstance(open_recording(tmp_path / "r.gif", 12), GifWriter)
    assert FORMATS["gif"].available and FORMATS["apng"].available


def test_mp4_without_ffmpeg_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr("playground.recording.mp4.find_ffmpeg", lambda: None)
    monkeypatch.setattr("playground.recording.find_ffmpeg", lambda: None)
    assert not FORMATS["mp4"].available
    with pytest.raises(StorageError, match="needs the ffmpeg program"):
        open_recording(tmp_path / "r.mp4", 15)
    assert os.listdir(tmp_path) == []


# -- MP4: the plumbing with a stand-in ffmpeg, the real one when installed ---------------------
FAKE_FFMPEG = """#!{python}
import sys
arguments = sys.argv[1:]
if "--fail" in open(__file__).read().split("#" + "MODE")[1]:
    sys.stderr.write("Unknown encoder 'libx264'\\n")
    sys.exit(1)
size = arguments[arguments.index("-s") + 1]
received = sys.stdin.buffer.read()
with open(arguments[-1], "w") as out:
    out.write(f"{{size}} {{len(received)}}")
#MODE {mode}
"""


def fake_ffmpeg(tmp_path, mode="") -> str:
    program = tmp_path / "bin" / "ffmpeg"
    program.parent.mkdir(exist_ok=True)
    program.write_text(FAKE_FFMPEG.format(python=sys.executable, mode=mode))
    program.chmod(0o755)
    return str(program)


needs_posix = pytest.mark.skipif(os.name != "posix", reason="the stand-in ffmpeg is a script")


@needs_posix
def test_frames_stream_into_ffmpeg_and_the_file_moves_into_place(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with Mp4Writer(out / "r.mp4", 15, ffmpeg=fake_ffmpeg(tmp_path)) as writer:
        for index in range(FRAMES):
            writer.add_frame(few_colour_frame(index))
    assert os.listdir(out) == ["r.mp4"]
    assert (out / "r.mp4").read_text() == f"{WIDTH}x{HEIGHT} {FRAMES * WIDTH * HEIGHT * 3}"


@needs_posix
def test_a_cancelled_or_failed_video_leaves_nothing(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    writer = Mp4Writer(out / "r.mp4", 15, ffmpeg=fake_ffmpeg(tmp_path))
    writer.add_frame(few_colour_frame(0))
    writer.cancel()
    assert os.listdir(out) == []
    failing = Mp4Writer(out / "r.mp4", 15, ffmpeg=fake_ffmpeg(tmp_path, "--fail"))
    with pytest.raises(StorageError, match="ffmpeg .*Unknown encoder 'libx264'"):
        for index in range(200):        # the pipe breaks, or closing reports the exit status
            failing.add_frame(few_colour_frame(index))
        failing.close()
    assert os.listdir(out) == []


@pytest.mark.skipif(shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None,
                    reason="ffmpeg is not installed")
def test_a_real_ffmpeg_writes_a_video_with_every_frame(tmp_path):
    record(Mp4Writer, tmp_path / "r.mp4", [few_colour_frame(i, 63, 47) for i in range(FRAMES)])
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
         "stream=nb_read_frames,width,height", "-of", "csv=p=0", str(tmp_path / "r.mp4")],
        capture_output=True, text=True, check=True)
    assert probe.stdout.strip() == f"64,48,{FRAMES}"        # odd sides padded to even
