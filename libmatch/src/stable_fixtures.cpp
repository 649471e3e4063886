// Stable fixtures: stable roommates where person p may have up to
// capacities[p] partners (Irving & Scott, "The stable fixtures problem: a
// many-to-many extension of stable roommates", Discrete Applied Mathematics
// 155 (2007) 2118-2129). Like Irving's roommates algorithm it has two phases:
//
//   phase 1  everyone proposes down their list, keeping up to c proposals
//            out; a person holding c proposals deletes everyone it likes
//            less than the worst of them. What remains is the phase-1 table.
//   phase 2  while some person still has more than c entries, find a
//            rotation exposed in the table and eliminate it; when an
//            elimination leaves someone with fewer entries than partners it
//            must have, no stable matching exists.
//
// When every list is no longer than its owner's capacity, the table itself
// is a stable matching. It works on flat ("CSR") lists with a mirror index,
// as stable_matching.cpp does, so that every deletion is symmetric and O(1).
//
// Why the phase-1 invariants hold (the paper's phase-1 table, restated in
// the terms of this file). Person p has "proposed" to the live entries
// before next_[p]; they are p's first min(c_p, d_p) entries (d_p = live
// entries), because p only proposes to its first entry it has not yet
// proposed to, and entries before that are gone only when they rejected p.
// "held" is the mirror view: q holds p when p proposed to q. After phase 1
// the proposals made, sum min(c_p, d_p), equal the proposals held, and no one
// holds more than min(c, d): so everyone holds exactly min(c, d). A person
// with d > c therefore holds c proposals and its list ends with the worst of
// them; a person with d <= c holds and has proposed to its whole list.
//
// Every stable matching gives each person the same number of partners,
// min(c, d) in the phase-1 table (Irving & Scott; for roommates it is
// Gusfield & Irving's Theorem 4.5.2, and test_stable_fixtures.cpp checks it
// against brute force). So an elimination that leaves a person with fewer
// live entries than that, or takes from a person one of the proposals it
// just made, proves that there is none: eliminating an exposed rotation
// keeps at least one stable matching in the table when there is one.
#include <algorithm>
#include <climits>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "libmatch/error.hpp"
#include "libmatch/matching.hpp"

#include "preference_lists.hpp"
#include "validation.hpp"

namespace libmatch {
namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);
// Checks what stable_roommates() checks (the same shared checks, records
// and wording), plus the capacities, reporting every problem in one
// InputError. Fills the flat lists (offset, target) and mirror (for entry e
// of p naming q, the index of p in q's list).
void check_and_link(const std::vector<std::vector<int>>& preferences,
                    const std::vector<int>& capacities, std::vector<std::size_t>& offset,
                    std::vector<std::size_t>& target, std::vector<std::size_t>& mirror) {
  const std::size_t n = preferences.size();
  const detail::Side people{"person", "people"};
  detail::ProblemList problems;
  detail::check_count(n, "preferences", problems);
  if (capacities.size() != n)
    problems.add(
        "capacities", kNone, "capacity", detail::to_text(capacities.size()),
        "one capacity per person is needed, and there are " + std::to_string(n) + " people");
  for (std::size_t p = 0; p < capacities.size(); ++p)
    if (capacities[p] < 0)
      problems.add(people.record(p), p, "capacity", detail::to_text(capacities[p]),
                   "a capacity must be >= 0");
  detail::FlatLists flat =
      detail::flatten_and_check(preferences, n, people, people, true, problems);
  mirror = detail::link_mutual(flat, flat, people, people, problems);
  problems.throw_if_any();
  offset = std::move(flat.offset);
  target.assign(flat.target.begin(), flat.target.end());  // all valid now
}

// The table both phases work on. Entries die in pairs (an entry and its
// mirror); next_ only moves right and tail_ only moves left, so the lazily
// advanced cursors cost O(total list length) over the whole run.
class FixturesTable {
 public:
  FixturesTable(std::vector<std::size_t> offset, std::vector<std::size_t> target,
                std::vector<std::size_t> mirror, const std::vector<int>& capacities)
      : offset_(std::move(offset)),
        target_(std::move(target)),
        mirror_(std::move(mirror)),
        alive_(target_.size(), 1),
        capacity_(capacities.begin(), capacities.end()),
        live_(capacity_.size()),
        next_(capacity_.size()),
        tail_(capacity_.size()),
        proposed_(capacity_.size(), 0),
        held_(capacity_.size(), 0) {
    for (std::size_t p = 0; p < people(); ++p) {
      live_[p] = offset_[p + 1] - offset_[p];
      next_[p] = offset_[p];
      tail_[p] = offset_[p + 1];  // one past the last live entry
    }
  }

  std::size_t people() const { return capacity_.size(); }
  std::size_t live(std::size_t p) const { return live_[p]; }
  std::size_t capacity(std::size_t p) const { return capacity_[p]; }
  std::size_t target(std::size_t e) const { return target_[e]; }
  std::size_t proposed(std::size_t p) const { return proposed_[p]; }
  std::size_t held(std::size_t p) const { return held_[p]; }
  bool alive(std::size_t e) const { return alive_[e] != 0; }
  // Whether the owner of live entry e has proposed to target(e).
  bool is_proposal(std::size_t e) const { return e < next_[target_[mirror_[e]]]; }
  // Whether the owner of live entry e holds a proposal from target(e).
  bool is_held(std::size_t e) const { return mirror_[e] < next_[target_[e]]; }

  // p's first live entry it has not proposed to (kNone when none is left).
  std::size_t next_entry(std::size_t p) {
    while (next_[p] < offset_[p + 1] && !alive_[next_[p]]) ++next_[p];
    return next_[p] < offset_[p + 1] ? next_[p] : kNone;
  }
  // p's last live entry (p's list must not be empty).
  std::size_t last_entry(std::size_t p) {
    while (!alive_[tail_[p] - 1]) --tail_[p];
    return tail_[p] - 1;
  }

  // p proposes to the target of e = next_entry(p).
  void propose(std::size_t p, std::size_t e) {
    next_[p] = e + 1;
    ++proposed_[p];
    ++held_[target_[e]];
  }

  // Deletes entry e (of `owner`) and its mirror. Returns whether the owner
  // had proposed to the other person: the two proposal counts are kept, a
  // lost proposal is the caller's to replace or to report.
  struct Killed {
    bool owner_proposal, other_proposal;
  };
  Killed kill(std::size_t owner, std::size_t e) {
    const std::size_t other = target_[e];
    const std::size_t m = mirror_[e];
    const Killed what{is_proposal(e), is_proposal(m)};
    if (what.owner_proposal) {
      --proposed_[owner];
      --held_[other];
    }
    if (what.other_proposal) {
      --proposed_[other];
      --held_[owner];
    }
    alive_[e] = 0;
    alive_[m] = 0;
    --live_[owner];
    --live_[other];
    return what;
  }

  // The live entries of p, best first.
  std::vector<int> partners(std::size_t p) const {
    std::vector<int> out;
    for (std::size_t e = offset_[p]; e < offset_[p + 1]; ++e)
      if (alive_[e]) out.push_back(static_cast<int>(target_[e]));
    return out;
  }

 private:
  std::vector<std::size_t> offset_, target_, mirror_;
  std::vector<char> alive_;
  std::vector<std::size_t> capacity_, live_, next_, tail_, proposed_, held_;
};

// Phase 1 (the paper's proposal phase, Irving's phase 1 with capacities).
// A person with fewer than c outstanding proposals proposes to its next
// entry; the receiver holds it, and if it now holds c + 1 it rejects the
// worst, which is its last entry: it truncated its list after the worst of
// its c proposals when it first held c, and only better proposers are still
// on it. Each time a person holds c proposals it deletes the entries after
// the worst of them: in no stable matching does it take anyone worse. A
// deletion never costs a proposal except by that rejection: the entries
// deleted are neither proposers to the person (they follow every one it
// holds) nor its own proposals (those are its first c entries, and its c
// held entries reach at least that far).
void fixtures_phase1(FixturesTable& table) {
  const std::size_t n = table.people();
  std::vector<std::size_t> free_people;
  std::vector<char> queued(n, 0);
  auto set_free = [&](std::size_t p) {
    if (!queued[p]) {
      queued[p] = 1;
      free_people.push_back(p);
    }
  };
  // Keeps the entries up to y's worst held proposer: y holds c proposals.
  auto truncate = [&](std::size_t y) {
    while (table.live(y) > 0) {
      const std::size_t e = table.last_entry(y);
      if (table.is_held(e)) break;
      const auto killed = table.kill(y, e);
      if (killed.owner_proposal) set_free(y);  // defensive: see the comment above
    }
  };
  // A person that can take no one deletes its whole list first.
  for (std::size_t p = 0; p < n; ++p)
    if (table.capacity(p) == 0) truncate(p);
  for (std::size_t p = n; p-- > 0;) set_free(p);  // pops 0 first
  while (!free_people.empty()) {
    const std::size_t x = free_people.back();
    free_people.pop_back();
    queued[x] = 0;
    while (table.proposed(x) < table.capacity(x)) {
      const std::size_t e = table.next_entry(x);
      if (e == kNone) break;  // x has proposed to everyone left: it stays short
      const std::size_t y = table.target(e);
      table.propose(x, e);
      if (table.held(y) > table.capacity(y)) {
        const std::size_t worst = table.last_entry(y);
        table.kill(y, worst);
        set_free(table.target(worst));
      }
      if (table.held(y) == table.capacity(y)) truncate(y);
    }
  }
}

[[noreturn]] void no_stable_matching(std::size_t p, std::size_t need) {
  throw NoStableMatchingError(
      "stable_fixtures: no stable matching exists (eliminating a rotation left person " +
      std::to_string(p) + " with fewer acceptable partners than the " + std::to_string(need) +
      " it has in every stable matching)");
}

// Phase 2 (the paper's rotation phase). For a person x with more than c
// entries, s(x) is its first entry beyond its c proposals, and last(y) the
// worst proposer y holds. A rotation exposed in the table is a cycle
// x_0, ..., x_{r-1} with y_{i+1} = s(x_i) and x_{i+1} = last(y_{i+1}): y_{i+1}
// likes x_i better than its worst proposer x_{i+1}, and is the next person
// x_i would turn to. Eliminating it moves each x_i's proposal from
// y_i to y_{i+1}: y_{i+1} rejects x_{i+1}, takes x_i, and deletes the
// entries after its new worst proposer, exactly as in phase 1. With
// capacity 1 this is Irving's rotation (first, second, last) and its
// elimination.
//
// The walk p -> last(s(p)) is kept on a stack between rotations, as
// Gusfield & Irving (4.2.3) do for roommates, where an elimination leaves
// the links below its cycle in place and the walking is linear overall.
// Rather than lean on that for capacities, the links of each cycle are
// checked again before it is eliminated (no more work than eliminating
// it): a link an earlier elimination changed is walked anew, never
// eliminated. A person on the stack whose list an elimination brought down
// to its capacity is popped when it comes back to the top.
void fixtures_phase2(FixturesTable& table) {
  const std::size_t n = table.people();
  // The degree each person has in every stable matching.
  std::vector<std::size_t> need(n);
  for (std::size_t p = 0; p < n; ++p) need[p] = std::min(table.capacity(p), table.live(p));
  auto over = [&](std::size_t p) { return table.live(p) > table.capacity(p); };
  // x's link: the entry s(x) and the entry of y = s(x)'s worst proposer.
  struct Link {
    std::size_t s_entry, last_entry;
  };
  auto link = [&](std::size_t x) {
    const std::size_t s = table.next_entry(x);
    return Link{s, table.last_entry(table.target(s))};
  };
  std::vector<std::size_t> path;
  std::vector<std::size_t> position(n, kNone);
  std::vector<Link> cycle;
  auto pop_to = [&](std::size_t size) {
    for (std::size_t k = size; k < path.size(); ++k) position[path[k]] = kNone;
    path.resize(size);
  };
  std::size_t scan = 0;
  while (true) {
    if (path.empty()) {
      while (scan < n && !over(scan)) ++scan;  // lists never grow back
      if (scan == n) return;                   // every list fits: done
      path.push_back(scan);
      position[scan] = 0;
    }
    const std::size_t p = path.back();
    if (!over(p)) {  // finished by an elimination while below the top
      pop_to(path.size() - 1);
      continue;
    }
    const std::size_t next = table.target(link(p).last_entry);
    if (position[next] == kNone) {
      position[next] = path.size();
      path.push_back(next);
      continue;
    }
    // path[begin..] is a rotation if its links still hold. Read it all
    // before deleting anything: the eliminations change s() and last().
    const std::size_t begin = position[next];
    const std::size_t r = path.size() - begin;
    cycle.clear();
    std::size_t stale = kNone;
    for (std::size_t k = 0; k < r && stale == kNone; ++k) {
      const std::size_t x = path[begin + k];
      if (!over(x)) {
        stale = k;
        break;
      }
      cycle.push_back(link(x));
      if (table.target(cycle.back().last_entry) != path[begin + (k + 1) % r]) stale = k + 1;
    }
    if (stale != kNone) {
      pop_to(begin + stale);  // keep the persons whose links still hold
      continue;
    }
    for (std::size_t k = 0; k < r; ++k) table.propose(path[begin + k], cycle[k].s_entry);
    // Each y_{i+1} rejects x_{i+1}: that proposal is replaced by x_{i+1}'s
    // own move, but y_{i+1} itself must not lose a proposal of its own.
    for (std::size_t k = 0; k < r; ++k) {
      const std::size_t y = table.target(cycle[k].s_entry);
      if (!table.alive(cycle[k].last_entry)) continue;  // deleted from the other side
      if (table.kill(y, cycle[k].last_entry).owner_proposal) no_stable_matching(y, need[y]);
    }
    for (std::size_t k = 0; k < r; ++k) {
      const std::size_t y = table.target(cycle[k].s_entry);
      while (table.live(y) > 0) {
        const std::size_t e = table.last_entry(y);
        if (table.is_held(e)) break;
        const std::size_t z = table.target(e);
        if (table.kill(y, e).owner_proposal) no_stable_matching(y, need[y]);
        if (table.live(z) < need[z]) no_stable_matching(z, need[z]);
      }
      if (table.live(y) < need[y]) no_stable_matching(y, need[y]);
    }
    for (std::size_t k = 0; k < r; ++k) {
      const std::size_t x = path[begin + k];
      if (table.live(x) < need[x] || table.proposed(x) < need[x]) no_stable_matching(x, need[x]);
    }
    pop_to(begin);
  }
}

}  // namespace

std::vector<std::vector<int>> stable_fixtures(const std::vector<std::vector<int>>& preferences,
                                              const std::vector<int>& capacities) {
  std::vector<std::size_t> offset, target, mirror;
  check_and_link(preferences, capacities, offset, target, mirror);
  FixturesTable table(std::move(offset), std::move(target), std::move(mirror), capacities);
  fixtures_phase1(table);
  fixtures_phase2(table);
  // Every list now fits its owner's capacity, and every entry is a
  // proposal both ways: the table is the matching.
  std::vector<std::vector<int>> partners(preferences.size());
  for (std::size_t p = 0; p < partners.size(); ++p) partners[p] = table.partners(p);
  return partners;
}

}  // namespace libmatch
