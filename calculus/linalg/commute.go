package linalg

import "fmt"

// Commutation returns the commutation matrix K(m, n): the mn×mn
// permutation with K(m, n)·vec(A) = vec(Aᵀ) for every m×n matrix A, vec
// stacking columns (column-major). K(m, n)ᵀ = K(n, m) = K(m, n)⁻¹, and
// K(1, n) = K(m, 1) = I.
func Commutation(m, n int) (*Matrix, error) {
	if m < 1 || n < 1 {
		return nil, fmt.Errorf("commutation matrix K(%d, %d): %w (dimensions must be at least 1)", m, n, ErrShape)
	}
	if m > MaxElements/n {
		return nil, fmt.Errorf("commutation matrix K(%d, %d): %w", m, n, ErrTooLarge)
	}
	k, err := Zeros(m*n, m*n)
	if err != nil {
		return nil, err
	}
	size := m * n
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			// vec(A)[i + j·m] = A_ij = vec(Aᵀ)[j + i·n]
			r, c := j+i*n, i+j*m
			if k.q != nil {
				k.q[r*size+c].SetInt64(1)
			} else {
				k.f[r*size+c] = 1
			}
		}
	}
	return k, nil
}
