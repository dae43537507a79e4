#pragma once
// Which figure: the run figures (of an Experiment, figures.h) and the sweep figures (of a
// SweepResult, sweep_figures.h). Its own header so that either side, and the code between them,
// can name a figure without including the other side.

namespace conlab::ui {

enum class FigureKind { Throughput, Breakdown, Timeline, SweepSpeedup, SweepThroughput, SweepPhases };
inline bool isSweepFigure(FigureKind k) {
    return k == FigureKind::SweepSpeedup || k == FigureKind::SweepThroughput || k == FigureKind::SweepPhases;
}

} // namespace conlab::ui
