// Stable matching on preference lists: hospitals/residents (deferred
// acceptance with capacities) and stable roommates (Irving 1985, in the
// incomplete-list form of Gusfield & Irving 1989, section 4.5).
//
// Both work on flat ("CSR") copies of the lists: entry e of person p lives at
// offset[p] + rank, and mirror[e] is the flat index of the reverse entry
// (p on the other person's list). With it a rank lookup or a symmetric
// deletion is O(1), so each algorithm runs in time linear in the total list
// length (plus a log factor for the hospitals' heaps).
#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "libmatch/error.hpp"
#include "libmatch/matching.hpp"

#include "preference_lists.hpp"
#include "validation.hpp"

namespace libmatch {
namespace {

using detail::check_count;
using detail::FlatLists;
using detail::flatten_and_check;
using detail::link_mutual;
using detail::Side;
constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// ---------------------------------------------------------------------------
// Stable roommates

// The phase-1/phase-2 table: every list is a slice of the flat arrays with
// dead entries marked. Deletions are always symmetric (an entry and its
// mirror die together). first/second only move right and last only moves
// left as entries die, so the lazily advanced cursors cost O(total length).
class RoommatesTable {
 public:
  RoommatesTable(FlatLists flat, std::vector<std::size_t> mirror)
      : flat_(std::move(flat)),
        mirror_(std::move(mirror)),
        alive_(flat_.target.size(), 1),
        size_(flat_.size()),
        head_(flat_.size()),
        second_(flat_.size()),
        tail_(flat_.size()) {
    for (std::size_t p = 0; p < flat_.size(); ++p) {
      size_[p] = flat_.end(p) - flat_.begin(p);
      head_[p] = flat_.begin(p);
      second_[p] = flat_.begin(p) + 1;
      tail_[p] = flat_.end(p) - 1;  // wraps for an empty list; never read then
    }
  }

  std::size_t people() const { return flat_.size(); }
  std::size_t size(std::size_t p) const { return size_[p]; }

  // Flat index of p's first / second / last live entry (p's list must hold
  // at least one / two / one entries).
  std::size_t first_entry(std::size_t p) {
    while (!alive_[head_[p]]) ++head_[p];
    return head_[p];
  }
  std::size_t second_entry(std::size_t p) {
    const std::size_t first = first_entry(p);
    if (second_[p] <= first) second_[p] = first + 1;
    while (!alive_[second_[p]]) ++second_[p];
    return second_[p];
  }
  std::size_t last_entry(std::size_t p) {
    while (!alive_[tail_[p]]) --tail_[p];
    return tail_[p];
  }
  std::size_t target(std::size_t e) const { return static_cast<std::size_t>(flat_.target[e]); }
  std::size_t mirror(std::size_t e) const { return mirror_[e]; }

  // y keeps only the entries up to flat index `bound` (the proposer it now
  // holds): everyone after is deleted from y's list, and y from theirs.
  // Returns a person whose list this emptied, or kNone.
  std::size_t truncate_after(std::size_t y, std::size_t bound) {
    std::size_t emptied = kNone;
    while (size_[y] > 0 && last_entry(y) > bound) {
      const std::size_t e = tail_[y];
      const std::size_t m = mirror_[e];
      alive_[e] = 0;
      alive_[m] = 0;
      --size_[y];
      const std::size_t w = target(e);
      if (--size_[w] == 0) emptied = w;
    }
    if (size_[y] == 0) emptied = y;
    return emptied;
  }

 private:
  FlatLists flat_;
  std::vector<std::size_t> mirror_;
  std::vector<char> alive_;
  std::vector<std::size_t> size_, head_, second_, tail_;
};

// Phase 1: everyone proposes down their list; a person holding a proposal
// deletes everyone they like less (symmetrically). Afterwards first(x) = y
// exactly when last(y) = x, and a person with an empty list is unmatched in
// every stable matching (Gusfield & Irving, 4.5.2), which is not a failure
// for incomplete lists.
void roommates_phase1(RoommatesTable& table) {
  const std::size_t n = table.people();
  std::vector<std::size_t> holds(n, kNone);  // whose proposal p holds
  std::vector<std::size_t> free_people;
  free_people.reserve(n);
  for (std::size_t p = n; p-- > 0;) free_people.push_back(p);  // pops 0 first
  while (!free_people.empty()) {
    const std::size_t x = free_people.back();
    free_people.pop_back();
    if (table.size(x) == 0) continue;  // rejected by everyone: unmatched
    const std::size_t e = table.first_entry(x);
    const std::size_t y = table.target(e);
    const std::size_t previous = holds[y];
    holds[y] = x;
    // x is still on y's list, so x ranks above whoever y held: the
    // truncation deletes that one, who proposes again.
    table.truncate_after(y, table.mirror(e));
    if (previous != kNone) free_people.push_back(previous);
  }
}

// Phase 2: while some list holds two or more entries, find a rotation
// (x_i, y_i = first(x_i)), with x_{i+1} = last(second(x_i)), and eliminate
// it: each y_{i+1} = second(x_i) keeps only entries up to x_i. The walk is
// kept on a stack between rotations (GI 4.2.3): eliminating a rotation
// leaves the links below it valid, so the total walking is linear.
void roommates_phase2(RoommatesTable& table) {
  const std::size_t n = table.people();
  std::vector<std::size_t> path;                // p_0, p_1, ...: p_{k+1} = last(second(p_k))
  std::vector<std::size_t> position(n, kNone);  // index of p in path, or kNone
  std::vector<std::size_t> targets, bounds;
  std::size_t scan = 0;
  while (true) {
    if (path.empty()) {
      while (scan < n && table.size(scan) < 2) ++scan;
      if (scan == n) return;  // every list has at most one entry: done
      path.push_back(scan);
      position[scan] = 0;
    }
    const std::size_t p = path.back();
    if (table.size(p) < 2) {  // defensive: a stale step cannot be extended
      position[p] = kNone;
      path.pop_back();
      continue;
    }
    const std::size_t q = table.target(table.second_entry(p));
    const std::size_t next = table.target(table.last_entry(q));
    if (position[next] == kNone) {
      position[next] = path.size();
      path.push_back(next);
      continue;
    }
    // The path from `next` to the top is a rotation. Read all of it before
    // deleting anything: the truncations below change seconds and lasts.
    const std::size_t begin = position[next];
    targets.clear();
    bounds.clear();
    for (std::size_t k = begin; k < path.size(); ++k) {
      const std::size_t s = table.second_entry(path[k]);
      targets.push_back(table.target(s));  // y_{i+1}
      bounds.push_back(table.mirror(s));   // x_i's place in y_{i+1}'s list
    }
    for (std::size_t k = 0; k < targets.size(); ++k) {
      const std::size_t emptied = table.truncate_after(targets[k], bounds[k]);
      if (emptied != kNone)
        throw NoStableMatchingError(
            "stable_roommates: no stable matching exists (eliminating a rotation left person " +
            std::to_string(emptied) + " with no acceptable partner)");
    }
    for (std::size_t k = begin; k < path.size(); ++k) position[path[k]] = kNone;
    path.resize(begin);
  }
}

// ---------------------------------------------------------------------------
// Hospitals / residents

// The residents a hospital currently holds, as a max-heap on the hospital's
// rank of them: the worst is on top, ready to be bumped.
struct Held {
  std::size_t rank;
  int resident;
  bool operator<(const Held& other) const { return rank < other.rank; }
};

}  // namespace

std::vector<int> hospitals_residents(const std::vector<std::vector<int>>& resident_preferences,
                                     const std::vector<std::vector<int>>& hospital_preferences,
                                     const std::vector<int>& hospital_capacities) {
  const Side residents{"resident", "residents"};
  const Side hospitals{"hospital", "hospitals"};
  const std::size_t n_residents = resident_preferences.size();
  const std::size_t n_hospitals = hospital_preferences.size();

  detail::ProblemList problems;
  check_count(n_residents, "resident_preferences", problems);
  check_count(n_hospitals, "hospital_preferences", problems);
  if (hospital_capacities.size() != n_hospitals)
    problems.add("hospital_capacities", kNone, "capacity",
                 detail::to_text(hospital_capacities.size()),
                 "one capacity per hospital is needed, and there are " +
                     std::to_string(n_hospitals) + " hospitals");
  for (std::size_t h = 0; h < hospital_capacities.size(); ++h)
    if (hospital_capacities[h] < 0)
      problems.add(hospitals.record(h), h, "capacity", detail::to_text(hospital_capacities[h]),
                   "a capacity must be >= 0");
  FlatLists resident_lists =
      flatten_and_check(resident_preferences, n_hospitals, residents, hospitals, false, problems);
  FlatLists hospital_lists =
      flatten_and_check(hospital_preferences, n_residents, hospitals, residents, false, problems);
  const std::vector<std::size_t> resident_mirror =
      link_mutual(resident_lists, hospital_lists, residents, hospitals, problems);
  link_mutual(hospital_lists, resident_lists, hospitals, residents, problems);
  problems.throw_if_any();

  // Resident-proposing deferred acceptance. The outcome does not depend on
  // the order of proposals; a stack of free residents keeps it simple.
  std::vector<std::vector<Held>> held(n_hospitals);
  std::vector<std::size_t> next(n_residents);  // next flat entry to propose to
  std::vector<int> free_residents;
  free_residents.reserve(n_residents);
  for (std::size_t r = n_residents; r-- > 0;) {
    next[r] = resident_lists.begin(r);
    free_residents.push_back(static_cast<int>(r));
  }
  while (!free_residents.empty()) {
    const int r = free_residents.back();
    free_residents.pop_back();
    const auto ru = static_cast<std::size_t>(r);
    // r proposes down its list until a hospital holds it or the list ends.
    for (; next[ru] < resident_lists.end(ru); ++next[ru]) {
      const std::size_t e = next[ru];
      const auto h = static_cast<std::size_t>(resident_lists.target[e]);
      const std::size_t rank = resident_mirror[e] - hospital_lists.begin(h);
      auto& heap = held[h];
      const auto capacity = static_cast<std::size_t>(hospital_capacities[h]);
      if (heap.size() < capacity) {
        heap.push_back(Held{rank, r});
        std::push_heap(heap.begin(), heap.end());
        break;
      }
      if (capacity > 0 && rank < heap.front().rank) {
        std::pop_heap(heap.begin(), heap.end());
        const int bumped = heap.back().resident;
        heap.back() = Held{rank, r};
        std::push_heap(heap.begin(), heap.end());
        ++next[static_cast<std::size_t>(bumped)];  // it tries its next choice
        free_residents.push_back(bumped);
        break;
      }
    }
  }

  std::vector<int> assignment(n_residents, -1);
  for (std::size_t h = 0; h < n_hospitals; ++h)
    for (const Held& entry : held[h])
      assignment[static_cast<std::size_t>(entry.resident)] = static_cast<int>(h);
  return assignment;
}

std::vector<int> stable_roommates(const std::vector<std::vector<int>>& preferences) {
  const Side people{"person", "people"};
  const std::size_t n = preferences.size();
  detail::ProblemList problems;
  check_count(n, "preferences", problems);
  FlatLists flat = flatten_and_check(preferences, n, people, people, true, problems);
  std::vector<std::size_t> mirror = link_mutual(flat, flat, people, people, problems);
  problems.throw_if_any();

  RoommatesTable table(std::move(flat), std::move(mirror));
  roommates_phase1(table);
  roommates_phase2(table);

  // Now every list holds one entry (a pair naming each other) or none.
  std::vector<int> partner(n, -1);
  for (std::size_t p = 0; p < n; ++p)
    if (table.size(p) == 1) partner[p] = static_cast<int>(table.target(table.first_entry(p)));
  return partner;
}

}  // namespace libmatch
