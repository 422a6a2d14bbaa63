-- Criterion 4 of the exception-reporting process: performance is adversely
-- affecting one of the council's corporate risks.
--
-- A linked risk counts when its current score (likelihood x impact, 1-25) is
-- at or above the threshold with prospects of meeting its target Red or Amber,
-- or its score rose since the previous register. Then:
--
-- - a link that states its mechanism (what in the risk the indicator measures,
--   and when its state worsens the risk: off target, deteriorating, or at a
--   threshold) makes the indicator an exception only when that state holds,
--   and the message says which part of the risk it measures and why;
-- - a plain link (the risk's id only) is the weaker reading: the indicator is
--   an exception whenever its own performance is adverse (rated Red or Amber,
--   or worse in each of the latest `run` periods).

local performance = require "vitals.performance"

local BAND_LABEL = { high = "High", medium = "Medium", low = "Low" }
local PROSPECTS_LABEL = { red = "red", amber = "amber", green = "green", none = "not given" }

local RAG_LABEL = { red = "Red", amber = "Amber", green = "Green" }

-- What the indicator measures, as the message says it.
local MEASURES_TEXT = {
  cause = "its cause",
  consequence = "its consequence",
  mitigation = "progress on its mitigation",
}

-- Whether the indicator's state at the reporting period is the one `link`
-- says worsens the risk: true, false, or nil when the data cannot tell, with
-- a phrase saying what the state is ("off target by 137% (Red: 3.56 against a
-- target of 1.5)", "worse for 3 consecutive months: 3.2 → 3.4 → 3.5 → 3.56",
-- "3.56 is at or above the threshold of 3").
local function state_worsens(ctx, link, run)
  local why_not = performance.unjudgeable(ctx)
  if why_not ~= nil then return nil, why_not end
  local latest = ctx.latest
  local value = vitals.figure(latest.value, ctx.indicator)
  if link.when == "off_target" then
    if latest.rag == "none" then
      return false, "no target is set for " .. latest.label
    end
    local against = value .. " against a target of " .. vitals.figure(latest.target, ctx.indicator)
    if latest.rag == "red" then
      return true, "off target by " .. vitals.format_pct(latest.variance_pct) .. "% (Red: "
        .. against .. ")"
    end
    return false, "not off target (" .. RAG_LABEL[latest.rag] .. ": " .. against .. ")"
  end
  if link.when == "deteriorating" then return performance.deteriorating(ctx, run) end
  -- when = "threshold": at or beyond it in the adverse direction.
  local threshold = vitals.figure(link.threshold, ctx.indicator)
  if ctx.indicator.polarity == "smaller" then
    if latest.value >= link.threshold then
      return true, value .. " is at or above the threshold of " .. threshold
    end
    return false, value .. " is below the threshold of " .. threshold
  end
  if latest.value <= link.threshold then
    return true, value .. " is at or below the threshold of " .. threshold
  end
  return false, value .. " is above the threshold of " .. threshold
end

-- "ASC-HOSP measures its consequence 'rise in ...' when deteriorating"
local function mechanism_text(risk)
  local link = risk.link
  local text = risk.id .. " measures " .. MEASURES_TEXT[link.measures] .. " '" .. link.quote
    .. "' when " .. link.when:gsub("_", " ")
  if link.when == "threshold" then text = text .. " " .. vitals.format(link.threshold) end
  return text
end

local function settings_of(params)
  return { score = params.score, on_rise = params.on_rise, run = params.run }
end

-- "linked risk RM14079 Failure to meet ... scores 20 (High, 4 x 5), prospects amber"
local function risk_text(risk)
  return "linked risk " .. risk.id .. " " .. risk.title .. " scores " .. risk.score .. " ("
    .. BAND_LABEL[risk.band] .. ", " .. risk.likelihood .. " x " .. risk.impact
    .. "), prospects " .. PROSPECTS_LABEL[risk.prospects]
end

return {
  id = "risk_impact",
  version = "2.0",
  description = "A linked corporate risk scores at or above the threshold (12 unless the "
    .. "catalogue sets score) with prospects Red or Amber, or its score rose, and the indicator's "
    .. "state is the one its link says worsens the risk (for a link that gives only the risk's "
    .. "id: performance is adverse).",
  criterion = "risk_impact",
  -- How reports name the criterion in the summary and on cards.
  label = "affecting a corporate risk",

  -- Set in the catalogue, e.g. [rules.risk_impact] score = 12.
  params = {
    score = {
      type = "integer", default = 12, min = 1, max = 25,
      description = "The current risk score (likelihood x impact) at or above which a linked "
        .. "risk counts: 12 is the council's threshold for reporting risks by exception.",
    },
    on_rise = {
      type = "boolean", default = true,
      description = "Whether a linked risk whose score rose since the previous register counts, "
        .. "whatever its level.",
    },
    run = {
      type = "integer", default = 3, min = 1,
      description = "Adverse changes in a row that count as deteriorating.",
    },
  },

  applies_to = function(indicator)
    return #indicator.risks > 0
  end,

  evaluate = function(ctx)
    local s = settings_of(ctx.params)
    local scored = {}
    for _, risk in ipairs(ctx.risks) do
      if risk.score ~= nil then table.insert(scored, risk) end
    end
    if #scored == 0 then
      return {
        status = "insufficient_data",
        message = "no risk register entry scores the linked risks ("
          .. table.concat(ctx.indicator.risks, ", ") .. ")",
      }
    end

    local pressures = {}  -- plain links: they need adverse performance
    local ids = {}
    local held, held_ids, unheld, unknown, mechanisms, states = {}, {}, {}, {}, {}, {}
    local highest = 0
    for _, risk in ipairs(scored) do
      if risk.score > highest then highest = risk.score end
      local serious = risk.score >= s.score
        and (risk.prospects == "red" or risk.prospects == "amber")
      local rose = s.on_rise and risk.previous_score ~= nil and risk.score > risk.previous_score
      if serious or rose then
        local text = risk_text(risk)
        if rose then
          text = text .. ", up from " .. risk.previous_score .. " in the previous register"
        end
        if risk.link == nil then
          table.insert(pressures, text)
          table.insert(ids, risk.id)
        else
          local holds, how = state_worsens(ctx, risk.link, s.run)
          text = text .. ": this indicator measures " .. MEASURES_TEXT[risk.link.measures] .. " '"
            .. risk.link.quote .. "'; " .. how
          if holds then
            table.insert(held, text)
            table.insert(held_ids, risk.id)
            table.insert(mechanisms, mechanism_text(risk))
            if states[how] == nil then
              states[how] = true
              table.insert(states, how)
            end
          elseif holds == nil then
            table.insert(unknown, text)
          else
            table.insert(unheld, text)
          end
        end
      end
    end

    local evidence = {
      period = scored[1].period,
      threshold_score = s.score,
      highest_score = highest,
    }

    if #held + #unheld + #unknown == 0 then
      -- Plain links only: the weaker reading.
      if #ids > 0 then evidence.risks = table.concat(ids, ", ") end
      if #pressures == 0 then
        return {
          status = "ok",
          message = "no linked risk scores " .. s.score .. " or more with prospects red or amber,"
            .. " and none rose (highest " .. highest .. ")",
          evidence = evidence,
        }
      end
      return performance.verdict(ctx, s.run, table.concat(pressures, "; "), evidence)
    end

    -- Links that state their mechanism, perhaps with plain ones.
    local reasons = {}
    local weakened = {}
    for i, text in ipairs(held) do
      table.insert(reasons, text)
      table.insert(weakened, held_ids[i])
    end
    if #pressures > 0 then
      local adverse, how = performance.adverse(ctx, s.run)
      if adverse then
        for i, text in ipairs(pressures) do
          table.insert(reasons, text .. ", and performance is " .. how)
          table.insert(weakened, ids[i])
        end
      end
    end
    if #weakened > 0 then evidence.risks = table.concat(weakened, ", ") end
    if #mechanisms > 0 then
      evidence.mechanisms = table.concat(mechanisms, "; ")
      evidence.performance = table.concat(states, "; ")
    end
    if #reasons > 0 then
      return { status = "exception", message = table.concat(reasons, "; "), evidence = evidence }
    end
    if #unknown > 0 then
      return {
        status = "insufficient_data",
        message = table.concat(unknown, "; "),
        evidence = evidence,
      }
    end
    return {
      status = "ok",
      message = table.concat(unheld, "; "),
      evidence = evidence,
    }
  end,
}
