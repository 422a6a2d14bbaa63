-- Helpers for walking an indicator's series, shared by the rules.
-- Load with: local series = require "vitals.series"
local series = {}

-- The points of `points` keyed by their period text ("2017-03").
function series.by_period(points)
  local index = {}
  for _, point in ipairs(points) do
    index[point.period] = point
  end
  return index
end

-- The `count` points of consecutive periods ending with `last`, oldest first.
-- When a period in that run has no point or no value, returns nil and the
-- period text of the latest such gap. `points` is ascending by period (as
-- ctx.series is), so only its last few points are read.
function series.consecutive(points, last, count)
  local run = {}
  local i = #points
  local period = last.period
  for back = 0, count - 1 do
    if back > 0 then period = vitals.next_period(period, -1) end
    local point = points[i]
    -- Usually the point before is the period before; else skip later ones.
    while point ~= nil and point.period ~= period and point.period > period do
      i = i - 1
      point = points[i]
    end
    if point == nil or point.period ~= period or point.value == nil then
      return nil, period
    end
    run[count - back] = point
  end
  return run
end

-- The values of `points` joined by arrows, each as the reports show a figure
-- of `indicator` (ctx.indicator: its decimals and unit): "3.2 → 3.4 → 3.5".
function series.trail(points, indicator)
  local texts = {}
  for i, point in ipairs(points) do
    texts[i] = vitals.figure(point.value, indicator)
  end
  return table.concat(texts, " → ")
end

return series
