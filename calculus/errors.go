package calculus

// Kind is the kind of an error in a cell. Its String is the name a student
// sees before the message ("ShapeError 2:5: cannot multiply …") and the
// ename of a Jupyter error reply.
type Kind int

// The kinds of error. Callers test a kind by comparing it with these,
// never by its text.
const (
	// SyntaxError: the cell does not parse, or a construct is misused.
	SyntaxError Kind = iota + 1
	// NameError: an unknown or misused name.
	NameError
	// TypeError: a call with the wrong number of arguments.
	TypeError
	// ShapeError: operands whose shapes do not fit.
	ShapeError
	// ValueError: a value outside what an operation accepts, or a result
	// that cannot be computed.
	ValueError
	// TensorError: a derivative with no matrix form (the Hessian of a non-scalar).
	TensorError
	// InternalError: a bug of matcalc.
	InternalError
)

// String returns the kind's name as the student sees it.
func (k Kind) String() string {
	switch k {
	case SyntaxError:
		return "SyntaxError"
	case NameError:
		return "NameError"
	case TypeError:
		return "TypeError"
	case ShapeError:
		return "ShapeError"
	case ValueError:
		return "ValueError"
	case TensorError:
		return "TensorError"
	case InternalError:
		return "InternalError"
	}
	return "Error"
}
