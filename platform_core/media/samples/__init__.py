"""Small media files shipped with the app, for the demo data (a lesson's video) and the tests.

lesson.webm: 3 s of a 96×48 test picture at 10 frames a second, VP8 in WebM with cues (a key frame
each second), made once with
`ffmpeg -f lavfi -i testsrc=duration=3:size=96x48:rate=10 -c:v libvpx -b:v 40k -g 10 -an lesson.webm`.
"""

from pathlib import Path

SAMPLE_VIDEO = Path(__file__).resolve().parent / "lesson.webm"
