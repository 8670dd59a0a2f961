import { lazy, Suspense, type ComponentProps } from "react";
import { Spinner } from "@fluentui/react-components";

/** The chart component loads with its own bundle (Fluent UI's charts and d3) the first time a result is shown. */
const ResultChart = lazy(() => import(/* webpackChunkName: "charts" */ "./ResultChart").then((m) => ({ default: m.ResultChart })));

export function LazyResultChart(props: ComponentProps<typeof ResultChart>) {
  return (
    <Suspense fallback={<Spinner size="tiny" label="Drawing the chart…" />}>
      <ResultChart {...props} />
    </Suspense>
  );
}
