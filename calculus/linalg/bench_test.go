package linalg

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// randomFloat returns a reproducible n×n float matrix with entries in
// [-1, 1) (well conditioned with high probability) plus n on the
// diagonal when dominant is set.
func randomFloat(b testing.TB, n int, dominant bool) *Matrix {
	b.Helper()
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	data := make([]float64, n*n)
	for i := range data {
		data[i] = 2*rng.Float64() - 1
	}
	if dominant {
		for i := 0; i < n; i++ {
			data[i*n+i] += float64(n)
		}
	}
	m, err := New(n, n, data)
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// The float benchmarks use the sizes that testdata/bench_numpy.py times
// with NumPy in the same run.
var benchSizes = []int{100, 500}

func BenchmarkInv(b *testing.B) {
	for _, n := range benchSizes {
		a := randomFloat(b, n, false)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Inv(a); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDet(b *testing.B) {
	for _, n := range benchSizes {
		a := randomFloat(b, n, false)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Det(a); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEig(b *testing.B) {
	for _, n := range benchSizes {
		a := randomFloat(b, n, false)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Eig(a); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkExpm(b *testing.B) {
	for _, n := range []int{10, 100, 500} {
		a := randomFloat(b, n, false)
		s, err := Div(a, Int(int64(n)))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Expm(s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkExact times the exact paths a student's small matrices take.
func BenchmarkExact(b *testing.B) {
	a := ints(b, []int64{3, -4}, []int64{4, -7})
	rng := rand.New(rand.NewPCG(7, 7))
	data := make([]int64, 100)
	for i := range data {
		data[i] = int64(rng.IntN(19) - 9)
	}
	m10, err := NewInts(10, 10, data)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("eig2x2", func(b *testing.B) {
		for b.Loop() {
			if _, err := Eig(a); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("det10x10", func(b *testing.B) {
		for b.Loop() {
			if _, err := Det(m10); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("inv10x10", func(b *testing.B) {
		for b.Loop() {
			if _, err := Inv(m10); err != nil {
				b.Fatal(err)
			}
		}
	})
}
