package dev.flinkrag.benchmarks;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.Color;
import java.io.IOException;
import java.text.DecimalFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The report's charts as PNG files, drawn headless with JFreeChart. */
final class Plots {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {}

    /** Cumulative share of samples at or below each value, one line per series. */
    static void cdf(Path png, String title, String xLabel, Map<String, List<Double>> samples) throws IOException {
        XYSeriesCollection lines = new XYSeriesCollection();
        samples.forEach((name, values) -> {
            List<Double> sorted = values.stream().sorted().toList();
            XYSeries series = new XYSeries(name + " (" + sorted.size() + ")");
            for (int i = 0; i < sorted.size(); i++) {
                series.add(sorted.get(i).doubleValue(), (i + 1.0) / sorted.size());
            }
            lines.addSeries(series);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, "share of changes visible",
                lines, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setRenderer(new XYLineAndShapeRenderer(true, false));
        save(png, chart);
    }

    /** Lines over a shared x axis, the y axis logarithmic when the values span orders of magnitude. */
    static void lines(Path png, String title, String xLabel, String yLabel, Map<String, Map<Double, Double>> points,
            boolean logarithmic) throws IOException {
        XYSeriesCollection lines = new XYSeriesCollection();
        points.forEach((name, values) -> {
            XYSeries series = new XYSeries(name);
            values.forEach(series::add);
            lines.addSeries(series);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, lines, PlotOrientation.VERTICAL, true,
                false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setRenderer(new XYLineAndShapeRenderer(true, true));
        if (logarithmic) {
            plot.setRangeAxis(logAxis(yLabel));
        }
        save(png, chart);
    }

    /** Grouped bars: for each category (outer key) one bar per series (inner key). */
    static void bars(Path png, String title, String categoryLabel, String valueLabel,
            Map<String, Map<String, Double>> values, boolean logarithmic, boolean horizontal) throws IOException {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        values.forEach((category, bySeries) -> bySeries.forEach((series, value) -> dataset.addValue(value, series, category)));
        JFreeChart chart = ChartFactory.createBarChart(title, categoryLabel, valueLabel, dataset,
                horizontal ? PlotOrientation.HORIZONTAL : PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        if (horizontal) {
            plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(0.45f); // room for the labels beside the bars
        }
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        if (logarithmic) {
            plot.setRangeAxis(logAxis(valueLabel));
            // bars start at the base, which a logarithmic axis cannot place at 0
            renderer.setBase(values.values().stream().flatMap(bySeries -> bySeries.values().stream())
                    .mapToDouble(Double::doubleValue).min().orElse(1) / 10);
        }
        save(png, chart);
    }

    /** Ticks at the powers of ten, labelled as plain numbers. */
    private static LogAxis logAxis(String label) {
        LogAxis axis = new LogAxis(label);
        axis.setTickUnit(new NumberTickUnit(1));
        axis.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
        return axis;
    }

    private static void save(Path png, JFreeChart chart) throws IOException {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(new Color(0xF4F4F4));
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
        System.out.println("plotted " + png);
    }
}
