// Maximum-weight matching: Edmonds' primal-dual blossom algorithm with
// every exposed vertex rooting a search tree at once and an event queue
// (the O(nm log n) scheme of Galil, Micali and Gabow, with the queue kept
// lazily; LEMON's MaxWeightedMatching works the same way).
//
// Duals are scaled by 4 so integer weights give integer arithmetic: vertex
// duals y, blossom duals z, and every edge keeps y_u + y_v + z(B ∋ u,v) >=
// 4w. A warm start (warm_start()) sets feasible duals that leave most
// vertices at 0 and matches tight edges greedily. Then each exposed vertex
// with a positive dual roots a tree. Trees grow along tight edges;
// the dual change delta lowers even duals and raises odd ones until the
// next event: an edge from an even vertex to an unlabelled one gets tight
// (grow, or augment when that blossom is exposed), an edge between two even
// vertices gets tight (shrink a blossom inside one tree, augment between
// two), an odd blossom's dual reaches 0 (expand it), or an even vertex's
// dual reaches 0 (flip the path to its root: the root gets matched, that
// vertex exposed with dual 0). An augmented tree dissolves; the others
// carry on. At the end every exposed vertex has dual 0, every matched edge
// is tight and every blossom with a positive dual is full, which proves
// the matching optimal. Trees never cross connected components, so those
// are solved apart by construction.
//
// Integrality: an even vertex's stored dual (below) stays even: every dual
// starts even (each is 4w minus an even dual, or 0), tight edges and
// blossoms pass the parity on (4w and every z are even), so the slack
// between two even vertices halves exactly.
//
// Events are kept as absolute "times" of the running total t of delta, so
// a queue entry never needs updating: an even vertex stores y + t, an odd
// one y - t, a top-level even blossom z - 2t, an odd one z + 2t; stale
// entries are recognised and dropped when they surface.
//
// The vertices of a top-level blossom form a group sharing one offset: a
// vertex's stored dual is its own value plus its group's offset, so
// relabelling a blossom costs O(1), not O(size). Shrinking keeps the group
// of the largest child and moves the others' vertices into it; expanding
// leaves the largest child the old group. Either way only the smaller
// children's vertices are touched, which keeps a blossom that grows by
// absorbing many small ones (or the reverse) from costing O(n) each time.
#include "blossom.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

namespace libmatch::detail {
namespace {

using Index = std::int32_t;
constexpr Index kNil = -1;
constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

enum class Label : std::uint8_t { none, even, odd };
enum class EventKind : std::uint8_t { grow, meet, expand, exhaust };

// grow, meet: a = the even vertex, b = its adjacency slot of the edge.
// expand: a = the odd blossom, b = its label epoch when queued.
// exhaust: a = the even vertex whose dual reaches 0.
struct Event {
  std::int64_t time;
  Index a;
  Index b;
  EventKind kind;
};

// A radix heap: times never fall below the last one taken out (feasible
// duals make every slack >= 0), so events go into 65 buckets by the highest
// bit in which they differ from it. Cheaper and far more cache-friendly
// than a binary heap of millions of events.
class EventQueue {
 public:
  bool empty() const { return size_ == 0; }
  void push(const Event& e) {
    buckets_[bucket(e.time)].push_back(e);
    ++size_;
  }
  Event pop() {
    if (buckets_[0].empty()) {
      std::size_t i = 1;
      while (buckets_[i].empty()) ++i;
      std::vector<Event>& from = buckets_[i];
      last_ = std::min_element(from.begin(), from.end(), [](const Event& x, const Event& y) {
                return x.time < y.time;
              })->time;
      for (const Event& e : from) buckets_[bucket(e.time)].push_back(e);
      from.clear();
    }
    const Event e = buckets_[0].back();
    buckets_[0].pop_back();
    --size_;
    return e;
  }

 private:
  std::size_t bucket(std::int64_t time) const {
    const auto x = static_cast<std::uint64_t>(time) ^ static_cast<std::uint64_t>(last_);
    return x == 0 ? 0 : 64 - static_cast<std::size_t>(__builtin_clzll(x));
  }
  std::array<std::vector<Event>, 65> buckets_;
  std::int64_t last_ = 0;
  std::size_t size_ = 0;
};

[[noreturn]] void internal_error(const char* function, int line, const std::string& what) {
  throw std::logic_error(std::string("libmatch internal error in ") + function + " (" + __FILE__ +
                         ":" + std::to_string(line) + "): " + what);
}

class Blossoms {
 public:
  Blossoms(std::size_t num_vertices, const std::vector<VertexPair>& edges,
           const std::vector<std::int64_t>& weights);
  std::vector<Index> run();

 private:
  using Edge = std::pair<Index, Index>;  // (x, y): vertices

  void warm_start();

  // ---- duals in the stored form (see the file comment)
  // How the stored form moves with t: actual = stored + sign * t.
  static std::int64_t sign(Label label) {
    return label == Label::even ? -1 : label == Label::odd ? 1 : 0;
  }
  Index top(Index v) const { return groups_[vertex_[v].group].top; }
  std::int64_t stored(Index v) const { return vertex_[v].dual + groups_[vertex_[v].group].offset; }
  std::int64_t blossom_actual(Index b) const {
    const Label l = parent_[b] == kNil ? label_[b] : Label::none;
    return l == Label::even  ? dual_[b] + 2 * time_
           : l == Label::odd ? dual_[b] - 2 * time_
                             : dual_[b];
  }
  // Relabels a top-level blossom: its group's offset and its own dual.
  void set_label(Index b, Label to);
  // b's children, now top-level, take over its group: the largest keeps
  // it, the others get fresh ones with the same offset.
  void split_group(Index b, const std::vector<Index>& children);

  template <typename F>
  void for_each_leaf(Index b, F&& f);
  Label label_of(Index v) const { return groups_[vertex_[v].group].label; }
  Index tree_of(Index v) const { return tree_[top(v)]; }

  bool valid(const Event& e) const;
  void push(std::int64_t time, Index a, Index b, EventKind kind) {
    if (time < time_) internal_error(__func__, __LINE__, "an event in the past");
    queue_.push({time, a, b, kind});
  }
  void scan_even(Index x);
  // Queues the grow event of u's edge `slot` unless u's tree dissolves
  // first (deadline) or an earlier one is queued for the same vertex.
  void queue_grow(Index u, Index slot, std::int64_t time, std::int64_t deadline);
  void label_even(Index b, Index tree);
  void label_odd(Index b, Edge entry, Index tree);
  void grow(Index u, Index v);
  void shrink(Index u, Index v);
  void expand_odd(Index b);
  void expand_unlabelled(Index b);
  Index even_parent(Index b) const;
  void augment_blossom(Index b, Index v);
  void rematch_to_root(Index s, Index partner);
  void dissolve(Index tree);
  void queue_edges_from_even(Index x);

  Index n_;
  // The graph, by adjacency: slots first_[v] .. first_[v+1]-1.
  std::vector<Index> first_, to_, mirror_;
  std::vector<std::int64_t> weight4_;  // 4w

  std::vector<Index> mate_;
  // Blossoms 0..n-1 are the vertices; n..2n-1 are shrunk cycles.
  struct Vertex {
    std::int64_t dual;  // plus the group's offset: the stored dual
    Index group;
  };
  struct Group {
    std::int64_t offset;
    Index top;    // its top-level blossom
    Label label;  // top's label, kept here too: scans read it per edge
  };
  std::vector<Vertex> vertex_;
  std::vector<Group> groups_;
  std::vector<Index> group_of_;  // per top-level blossom
  std::vector<Index> size_;      // per blossom: its vertex count
  std::vector<Index> unused_groups_;
  std::vector<Index> parent_;  // enclosing blossom, kNil at top level
  std::vector<Index> base_;
  std::vector<std::vector<Index>> children_;  // children_[b][0] holds the base
  std::vector<std::vector<Edge>> cycle_;      // cycle_[b][i] joins child i to child i+1
  std::vector<Index> unused_;
  std::vector<Label> label_;
  std::vector<Index> tree_;      // a labelled blossom's tree, named by its root vertex
  std::vector<Edge> tree_edge_;  // (vertex in the tree parent, vertex in b)
  std::vector<std::uint32_t> epoch_;
  std::vector<std::int64_t> dual_;  // blossom duals (z), for ids >= n
  std::vector<std::uint32_t> mark_;
  std::uint32_t stamp_ = 0;
  // Blossoms labelled in each tree (some may have moved on since).
  std::vector<std::vector<Index>> members_;
  // The lowest stored dual of a tree's even vertices: the time at which the
  // tree dissolves at the latest. Events of that tree due later are dropped.
  std::vector<std::int64_t> deadline_;
  // Per unlabelled vertex, the earliest grow event queued for it and the
  // even vertex it comes from; later ones are not queued. Should that
  // vertex's tree dissolve first, the vertex is queued afresh.
  struct FirstGrow {
    std::int64_t time;
    Index from;
  };
  std::vector<FirstGrow> first_grow_;

  std::int64_t time_ = 0;
  EventQueue queue_;
  std::vector<Index> stack_;          // for_each_leaf's
  std::vector<Index> region_, zero_;  // dissolve's
};

Blossoms::Blossoms(std::size_t num_vertices, const std::vector<VertexPair>& edges,
                   const std::vector<std::int64_t>& weights)
    : n_(static_cast<Index>(num_vertices)),
      first_(num_vertices + 1, 0),
      to_(2 * edges.size()),
      mirror_(2 * edges.size()),
      weight4_(2 * edges.size()),
      mate_(num_vertices, kNil),
      vertex_(num_vertices, {0, kNil}),
      groups_(num_vertices, {0, kNil, Label::none}),
      group_of_(2 * num_vertices, kNil),
      size_(2 * num_vertices, 1),
      parent_(2 * num_vertices, kNil),
      base_(2 * num_vertices, kNil),
      children_(2 * num_vertices),
      cycle_(2 * num_vertices),
      label_(2 * num_vertices, Label::none),
      tree_(2 * num_vertices, kNil),
      tree_edge_(2 * num_vertices, {kNil, kNil}),
      epoch_(2 * num_vertices, 0),
      dual_(2 * num_vertices, 0),
      mark_(2 * num_vertices, 0),
      members_(num_vertices),
      deadline_(num_vertices, kNever),
      first_grow_(num_vertices, {kNever, kNil}) {
  for (const auto& [u, v] : edges) {
    ++first_[u + 1];
    ++first_[v + 1];
  }
  for (Index v = 0; v < n_; ++v) first_[v + 1] += first_[v];
  std::vector<Index> next(first_.begin(), first_.end() - 1);
  for (std::size_t e = 0; e < edges.size(); ++e) {
    const auto u = static_cast<Index>(edges[e].first), v = static_cast<Index>(edges[e].second);
    const Index su = next[u]++, sv = next[v]++;
    to_[su] = v;
    to_[sv] = u;
    mirror_[su] = sv;
    mirror_[sv] = su;
    weight4_[su] = weight4_[sv] = 4 * weights[e];
  }
  for (Index v = 0; v < n_; ++v) {
    vertex_[v].group = groups_[v].top = group_of_[v] = v;
    base_[v] = v;
  }
  for (Index b = 2 * n_ - 1; b >= n_; --b) unused_.push_back(b);
}

std::vector<Index> Blossoms::run() {
  warm_start();
  // Label every root first, so that edges between roots are queued once.
  std::vector<Index> roots;
  for (Index v = 0; v < n_; ++v) {
    if (mate_[v] == kNil && stored(v) > 0) roots.push_back(v);
  }
  for (Index v : roots) {
    set_label(v, Label::even);
    tree_[v] = v;
    members_[v].push_back(v);
  }
  for (Index v : roots) scan_even(v);

  while (!queue_.empty()) {
    const Event e = queue_.pop();
    if (!valid(e)) continue;
    time_ = e.time;
    switch (e.kind) {
      case EventKind::grow:
        grow(e.a, to_[e.b]);
        break;
      case EventKind::meet: {
        const Index u = e.a, v = to_[e.b];
        const Index tu = tree_of(u), tv = tree_of(v);
        if (tu == tv) {
          shrink(u, v);
        } else {
          rematch_to_root(u, v);
          rematch_to_root(v, u);
          dissolve(tu);
          dissolve(tv);
        }
        break;
      }
      case EventKind::expand:
        expand_odd(e.a);
        break;
      case EventKind::exhaust: {
        const Index tree = tree_of(e.a);
        rematch_to_root(e.a, kNil);
        dissolve(tree);
        break;
      }
    }
  }
  return std::move(mate_);
}

// Feasible duals that leave few roots: vertices in order of falling degree
// take what their edges still need (y_v = max(0, max 4w - y_u), 0 for the
// vertices still to come), so the hubs cover their edges and the leaves
// get little; a second pass lowers every dual to the least that stays
// feasible; then tight edges are matched greedily. Every dual is even.
void Blossoms::warm_start() {
  std::vector<Index> order(n_);
  for (Index v = 0; v < n_; ++v) order[v] = v;
  std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) {
    return first_[a + 1] - first_[a] > first_[b + 1] - first_[b];
  });
  auto least_feasible = [&](Index v) {
    std::int64_t y = 0;
    for (Index s = first_[v]; s < first_[v + 1]; ++s)
      y = std::max(y, weight4_[s] - vertex_[to_[s]].dual);
    return y;
  };
  for (Index v : order) vertex_[v].dual = least_feasible(v);
  for (auto it = order.rbegin(); it != order.rend(); ++it) vertex_[*it].dual = least_feasible(*it);
  for (Index v : order) {
    if (mate_[v] != kNil) continue;
    for (Index s = first_[v]; s < first_[v + 1]; ++s) {
      const Index u = to_[s];
      if (mate_[u] == kNil && vertex_[u].dual + vertex_[v].dual == weight4_[s]) {
        mate_[u] = v;
        mate_[v] = u;
        break;
      }
    }
  }
}

template <typename F>
void Blossoms::for_each_leaf(Index b, F&& f) {
  if (b < n_) {
    f(b);
    return;
  }
  const std::size_t bottom = stack_.size();
  stack_.push_back(b);
  while (stack_.size() > bottom) {
    const Index c = stack_.back();
    stack_.pop_back();
    if (c < n_) {
      f(c);
    } else {
      stack_.insert(stack_.end(), children_[c].begin(), children_[c].end());
    }
  }
}

void Blossoms::set_label(Index b, Label to) {
  Group& group = groups_[group_of_[b]];
  group.offset += (sign(label_[b]) - sign(to)) * time_;
  group.label = to;
  if (b >= n_) {
    const std::int64_t z = blossom_actual(b);
    dual_[b] = to == Label::even ? z - 2 * time_ : to == Label::odd ? z + 2 * time_ : z;
  }
  label_[b] = to;
}

void Blossoms::split_group(Index b, const std::vector<Index>& children) {
  Index largest = children[0];
  for (Index c : children) {
    if (size_[c] > size_[largest]) largest = c;
  }
  const Index g = group_of_[b];
  groups_[g].top = largest;
  groups_[g].label = label_[largest];
  group_of_[largest] = g;
  for (Index c : children) {
    if (c == largest) continue;
    const Index fresh = unused_groups_.back();
    unused_groups_.pop_back();
    groups_[fresh] = {groups_[g].offset, c, label_[c]};
    group_of_[c] = fresh;
    for_each_leaf(c, [&](Index x) { vertex_[x].group = fresh; });
  }
}

bool Blossoms::valid(const Event& e) const {
  switch (e.kind) {
    case EventKind::expand:
      return parent_[e.a] == kNil && label_[e.a] == Label::odd &&
             epoch_[e.a] == static_cast<std::uint32_t>(e.b);
    case EventKind::exhaust:
      return label_of(e.a) == Label::even && stored(e.a) == e.time;
    case EventKind::grow: {
      // An end whose dual moved since was queued again with the new time.
      const Index u = e.a, v = to_[e.b];
      return label_of(u) == Label::even && label_of(v) == Label::none &&
             stored(u) + stored(v) - weight4_[e.b] == e.time;
    }
    case EventKind::meet: {
      const Index u = e.a, v = to_[e.b];
      return label_of(u) == Label::even && label_of(v) == Label::even && top(u) != top(v) &&
             stored(u) + stored(v) - weight4_[e.b] == 2 * e.time;
    }
  }
  return false;
}

// x just became even: queue its own exhaustion and its edges to unlabelled
// and even vertices.
void Blossoms::scan_even(Index x) {
  const std::int64_t yx = stored(x);
  const Index bx = top(x);
  std::int64_t& deadline = deadline_[tree_[bx]];
  if (yx < deadline) {
    deadline = yx;
    push(yx, x, 0, EventKind::exhaust);
  }
  const Index gx = vertex_[x].group;
  for (Index s = first_[x]; s < first_[x + 1]; ++s) {
    const Index v = to_[s];
    const Index gv = vertex_[v].group;
    if (gv == gx) continue;
    const Group& group = groups_[gv];
    if (group.label == Label::none) {
      queue_grow(x, s, yx + vertex_[v].dual + group.offset - weight4_[s], deadline);
    } else if (group.label == Label::even) {
      const std::int64_t twice = yx + vertex_[v].dual + group.offset - weight4_[s];
      if (twice % 2 != 0) internal_error(__func__, __LINE__, "odd slack between even vertices");
      const std::int64_t time = twice / 2;
      if (time <= deadline && time <= deadline_[tree_[group.top]])
        push(time, x, s, EventKind::meet);
    }
  }
}

void Blossoms::label_even(Index b, Index tree) {
  set_label(b, Label::even);
  tree_[b] = tree;
  members_[tree].push_back(b);
  for_each_leaf(b, [&](Index v) { scan_even(v); });
}

void Blossoms::label_odd(Index b, Edge entry, Index tree) {
  set_label(b, Label::odd);
  tree_[b] = tree;
  members_[tree].push_back(b);
  tree_edge_[b] = entry;
  ++epoch_[b];
  if (b >= n_) push(dual_[b] / 2, b, static_cast<Index>(epoch_[b]), EventKind::expand);
}

// The tight edge (u, v) reaches the unlabelled blossom of v. When that
// blossom is exposed (its base has dual 0), augment; otherwise it turns odd
// and its mate's blossom even.
void Blossoms::grow(Index u, Index v) {
  const Index b = top(v);
  const Index tree = tree_of(u);
  if (mate_[base_[b]] == kNil) {
    augment_blossom(b, v);
    mate_[v] = u;
    rematch_to_root(u, v);
    dissolve(tree);
    return;
  }
  label_odd(b, {u, v}, tree);
  const Index m = top(mate_[base_[b]]);
  tree_edge_[m] = {base_[b], base_[m]};
  label_even(m, tree);
}

// The even blossom above b in its tree, kNil at the root.
Index Blossoms::even_parent(Index b) const {
  if (b == top(tree_[b])) return kNil;
  const Index odd = top(tree_edge_[b].first);
  return top(tree_edge_[odd].first);
}

// The tight edge (u, v) joins two even vertices of one tree: the cycle
// through their lowest common ancestor becomes an even blossom.
void Blossoms::shrink(Index u, Index v) {
  const Index bu = top(u), bv = top(v);
  const Index tree = tree_[bu];
  ++stamp_;
  Index lca = kNil;
  for (Index x = bu, y = bv;; std::swap(x, y)) {
    if (x == kNil) continue;
    if (mark_[x] == stamp_) {
      lca = x;
      break;
    }
    mark_[x] = stamp_;
    x = even_parent(x);
  }
  if (unused_.empty()) internal_error(__func__, __LINE__, "out of blossom numbers");
  const Index b = unused_.back();
  unused_.pop_back();
  auto& children = children_[b];
  auto& cycle = cycle_[b];
  children.clear();
  cycle.clear();
  // From u's side up to the ancestor, then reversed: lca, ..., bu.
  for (Index c = bu; c != lca; c = top(tree_edge_[c].first)) {
    children.push_back(c);
    cycle.push_back(tree_edge_[c]);
  }
  children.push_back(lca);
  std::reverse(children.begin(), children.end());
  std::reverse(cycle.begin(), cycle.end());
  cycle.push_back({u, v});
  for (Index c = bv; c != lca; c = top(tree_edge_[c].first)) {
    children.push_back(c);
    cycle.push_back({tree_edge_[c].second, tree_edge_[c].first});
  }

  // Odd children turn even; every child's own dual freezes.
  std::vector<Index> turned;
  for (Index c : children) {
    if (label_[c] == Label::odd) {
      set_label(c, Label::even);
      turned.push_back(c);
    }
    if (c >= n_) dual_[c] = blossom_actual(c);
  }
  for (Index c : children) {
    parent_[c] = b;
    label_[c] = Label::none;
  }
  parent_[b] = kNil;
  base_[b] = base_[lca];
  label_[b] = Label::even;
  tree_[b] = tree;
  dual_[b] = -2 * time_;  // z = 0
  tree_edge_[b] = tree_edge_[lca];
  members_[tree].push_back(b);
  // The largest child's group becomes b's; the others' vertices move in
  // (all children are even now, so only the offsets differ).
  Index largest = children[0];
  size_[b] = 0;
  for (Index c : children) {
    size_[b] += size_[c];
    if (size_[c] > size_[largest]) largest = c;
  }
  const Index g = group_of_[largest];
  for (Index c : children) {
    if (c == largest) continue;
    const Index from = group_of_[c];
    const std::int64_t shift = groups_[from].offset - groups_[g].offset;
    for_each_leaf(c, [&](Index x) {
      vertex_[x].dual += shift;
      vertex_[x].group = g;
    });
    unused_groups_.push_back(from);
  }
  groups_[g].top = b;
  groups_[g].label = Label::even;
  group_of_[b] = g;
  for (Index c : turned) for_each_leaf(c, [&](Index x) { scan_even(x); });
}

// An odd blossom's dual reached 0: its children go back to the top level.
// Those on the even-length path from the entry child to the base child
// keep the tree alternating; the others leave the tree.
void Blossoms::expand_odd(Index b) {
  const Edge entry = tree_edge_[b];
  const Index tree = tree_[b];
  const std::vector<Index> children = std::move(children_[b]);
  const std::vector<Edge> cycle = std::move(cycle_[b]);
  const auto k = static_cast<Index>(children.size());
  for (Index c : children) {
    parent_[c] = kNil;
    label_[c] = Label::odd;  // the group's offset is an odd one already
    if (c >= n_) dual_[c] += 2 * time_;
  }
  split_group(b, children);
  label_[b] = Label::none;
  ++epoch_[b];
  unused_.push_back(b);

  const auto j = static_cast<Index>(std::find(children.begin(), children.end(), top(entry.second)) -
                                    children.begin());
  ++stamp_;
  std::vector<Index> turned;
  // From the entry child to the base child along the even side.
  const Index step = j % 2 == 1 ? 1 : -1;
  Edge edge = entry;
  for (Index position = j;; position += step) {
    const Index c = children[position % k];
    mark_[c] = stamp_;
    tree_edge_[c] = edge;
    tree_[c] = tree;
    members_[tree].push_back(c);
    if ((position - j) % 2 == 0) {  // odd
      ++epoch_[c];
      if (c >= n_) push(dual_[c] / 2, c, static_cast<Index>(epoch_[c]), EventKind::expand);
    } else {
      set_label(c, Label::even);
      turned.push_back(c);
    }
    if (position % k == 0) break;
    if (step == 1) {
      edge = cycle[position];
    } else {
      edge = {cycle[position - 1].second, cycle[position - 1].first};
    }
  }
  std::vector<Index> outside;
  for (Index c : children) {
    if (mark_[c] != stamp_) {
      set_label(c, Label::none);
      outside.push_back(c);
    }
  }
  for (Index c : turned) for_each_leaf(c, [&](Index x) { scan_even(x); });
  for (Index c : outside) for_each_leaf(c, [&](Index x) { queue_edges_from_even(x); });
}

void Blossoms::queue_grow(Index u, Index slot, std::int64_t time, std::int64_t deadline) {
  FirstGrow& first = first_grow_[to_[slot]];
  if (time > deadline || time >= first.time) return;
  first = {time, u};
  push(time, u, slot, EventKind::grow);
}

// x is unlabelled (again): queue the edges that even vertices have to it.
void Blossoms::queue_edges_from_even(Index x) {
  first_grow_[x].time = kNever;
  for (Index s = first_[x]; s < first_[x + 1]; ++s) {
    const Index w = to_[s];
    if (label_of(w) == Label::even) {
      const Index back = mirror_[s];
      queue_grow(w, back, stored(w) + stored(x) - weight4_[back], deadline_[tree_of(w)]);
    }
  }
}

// Makes v the base of blossom b, rematching along the even side of the
// cycle from v's child to the base child.
void Blossoms::augment_blossom(Index b, Index v) {
  if (b < n_) return;
  Index t = v;
  while (parent_[t] != b) t = parent_[t];
  augment_blossom(t, v);
  auto& children = children_[b];
  auto& cycle = cycle_[b];
  const auto k = static_cast<Index>(children.size());
  const auto i =
      static_cast<Index>(std::find(children.begin(), children.end(), t) - children.begin());
  auto match = [&](Index j) {
    const auto [x, y] = cycle[j];
    augment_blossom(children[j], x);
    augment_blossom(children[(j + 1) % k], y);
    mate_[x] = y;
    mate_[y] = x;
  };
  if (i % 2 == 1) {
    for (Index j = i + 1; j < k; j += 2) match(j);
  } else {
    for (Index j = i - 2; j >= 0; j -= 2) match(j);
  }
  std::rotate(children.begin(), children.begin() + i, children.end());
  std::rotate(cycle.begin(), cycle.begin() + i, cycle.end());
  base_[b] = v;
}

// s (even) gets `partner` as its mate, and the alternating path from s's
// blossom to its root is flipped, so the root ends matched.
void Blossoms::rematch_to_root(Index s, Index partner) {
  const Index root = tree_of(s);
  for (;;) {
    const Index bs = top(s);
    augment_blossom(bs, s);
    mate_[s] = partner;
    if (bs == top(root)) return;
    const Index odd = top(tree_edge_[bs].first);
    const auto [t, entry] = tree_edge_[odd];
    augment_blossom(odd, entry);
    mate_[entry] = t;
    s = t;
    partner = entry;
  }
}

void Blossoms::expand_unlabelled(Index b) {
  for (Index c : children_[b]) {
    parent_[c] = kNil;
    label_[c] = Label::none;
  }
  split_group(b, children_[b]);
  ++epoch_[b];
  unused_.push_back(b);
  for (Index c : children_[b]) {
    if (c >= n_ && dual_[c] == 0) expand_unlabelled(c);
  }
  children_[b].clear();
}

// The tree's labels go; its blossoms whose dual is 0 dissolve too (which
// keeps nesting, and the cost of relabelling, low); and the other trees'
// even vertices may now grow into it.
void Blossoms::dissolve(Index tree) {
  region_.clear();
  zero_.clear();
  for (Index b : members_[tree]) {
    if (parent_[b] != kNil || label_[b] == Label::none || tree_[b] != tree) continue;
    set_label(b, Label::none);
    region_.push_back(b);
    if (b >= n_ && dual_[b] == 0) zero_.push_back(b);
  }
  members_[tree].clear();
  members_[tree].shrink_to_fit();
  std::vector<Index> leaves;
  for (Index b : region_) for_each_leaf(b, [&](Index x) { leaves.push_back(x); });
  for (Index b : zero_) expand_unlabelled(b);
  // One pass over the region's edges: even neighbours may grow into it, and
  // unlabelled ones whose first grow event came from it are queued afresh.
  for (Index x : leaves) first_grow_[x].time = kNever;
  std::vector<Index> requeue;
  for (Index x : leaves) {
    const std::int64_t yx = stored(x);
    for (Index s = first_[x]; s < first_[x + 1]; ++s) {
      const Index w = to_[s];
      const Label label = label_of(w);
      if (label == Label::even) {
        const Index back = mirror_[s];
        queue_grow(w, back, stored(w) + yx - weight4_[back], deadline_[tree_of(w)]);
      } else if (label == Label::none && first_grow_[w].from == x &&
                 first_grow_[w].time != kNever) {
        requeue.push_back(w);
      }
    }
  }
  for (Index w : requeue) queue_edges_from_even(w);
}

}  // namespace

std::vector<std::int32_t> maximum_weight_mates(std::size_t num_vertices,
                                               const std::vector<VertexPair>& edges,
                                               const std::vector<std::int64_t>& weights) {
  if (num_vertices > static_cast<std::size_t>(std::numeric_limits<Index>::max() / 2) ||
      edges.size() > static_cast<std::size_t>(std::numeric_limits<Index>::max() / 2)) {
    throw std::length_error("libmatch::max_weight_matching: more than 2^30 vertices or edges");
  }
  return Blossoms(num_vertices, edges, weights).run();
}

}  // namespace libmatch::detail
