// matcalc's kernel.js, installed beside kernel.json. Classic Jupyter Notebook
// (6.x and earlier) loads it when a notebook starts the matcalc kernel;
// JupyterLab and Notebook 7 do not (the Docker image sets the same there
// through settings overrides).
//
// In matcalc ' is the transpose. Notebook's editor closes quotes as they are
// typed, so (A*x - b)'*(A*x - b) became (A*x - b)'*(A*x - b)' and a shape
// error the student never wrote. This keeps brackets auto-closing and turns
// quotes off, in the cells there are and in every new one.
define(['base/js/namespace', 'base/js/events', 'notebook/js/codecell'], function (Jupyter, events, codecell) {
  'use strict';

  var pairs = '()[]{}';

  function setUp(cell) {
    if (cell && cell.cell_type === 'code' && cell.code_mirror) {
      cell.code_mirror.setOption('autoCloseBrackets', pairs);
    }
  }

  return {
    onload: function () {
      codecell.CodeCell.options_default.cm_config.autoCloseBrackets = pairs;
      Jupyter.notebook.get_cells().forEach(setUp);
      events.off('create.Cell.matcalc');
      events.on('create.Cell.matcalc', function (event, data) {
        setUp(data.cell);
      });
    }
  };
});
