package io.opsbase.metrics;

import java.util.BitSet;

/**
 * Draws a line chart into a pixel grid the way a browser canvas would at one-pixel width:
 * straight segments between consecutive points, Bresenham, y scaled to the given range and
 * clamped (so infinities land on an edge).
 */
final class Raster {

    final int width;
    final int height;
    final double lo;
    final double hi;
    final BitSet pixels = new BitSet();
    private int lastX = -1;
    private int lastY;

    Raster(int width, int height, double lo, double hi) {
        this.width = width;
        this.height = height;
        this.lo = lo;
        this.hi = hi;
    }

    void lineTo(int x, double value) {
        int y = y(value);
        if (lastX < 0) {
            plot(x, y);
        } else {
            line(lastX, lastY, x, y);
        }
        lastX = x;
        lastY = y;
    }

    private int y(double v) {
        double scaled = hi > lo ? (v - lo) / (hi - lo) * (height - 1) : 0;
        return (int) Math.max(0, Math.min(height - 1, Math.round(scaled)));
    }

    private void line(int x0, int y0, int x1, int y1) {
        int dx = Math.abs(x1 - x0);
        int dy = -Math.abs(y1 - y0);
        int sx = x0 < x1 ? 1 : -1;
        int sy = y0 < y1 ? 1 : -1;
        int err = dx + dy;
        while (true) {
            plot(x0, y0);
            if (x0 == x1 && y0 == y1) {
                return;
            }
            int e2 = 2 * err;
            if (e2 >= dy) {
                err += dy;
                x0 += sx;
            }
            if (e2 <= dx) {
                err += dx;
                y0 += sy;
            }
        }
    }

    private void plot(int x, int y) {
        pixels.set(y * width + x);
    }

    static Raster ofSamples(Samples s, long from, long to, int width, int height, double lo, double hi) {
        Raster r = new Raster(width, height, lo, hi);
        for (int i = 0; i < s.size(); i++) {
            if (!Double.isNaN(s.values()[i])) {
                r.lineTo(M4.column(s.timestamps()[i], from, to, width), s.values()[i]);
            }
        }
        return r;
    }

    static Raster ofM4(M4 m4, int height, double lo, double hi) {
        Raster r = new Raster(m4.width(), height, lo, hi);
        for (M4.Column c : m4.columns()) {
            r.lineTo(c.x(), c.first());
            r.lineTo(c.x(), c.min());
            r.lineTo(c.x(), c.max());
            r.lineTo(c.x(), c.last());
        }
        return r;
    }
}
