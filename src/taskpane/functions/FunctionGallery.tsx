import { Body1, Button, Caption1, Card, CardHeader, makeStyles, Text, tokens } from "@fluentui/react-components";
import { FUNCTION_EXAMPLES, type FunctionMetadata } from "./examples";

declare const __LTV_FUNCTIONS__: FunctionMetadata[];

const useStyles = makeStyles({
  list: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  code: { fontFamily: tokens.fontFamilyMonospace, wordBreak: "break-all" },
  params: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

/** Every LTV function with its arguments, units and an example; Insert writes the example into the selected cell. */
export function FunctionGallery({ onInsert }: { onInsert: (formula: string) => void }) {
  const styles = useStyles();
  const functions = typeof __LTV_FUNCTIONS__ === "undefined" ? [] : __LTV_FUNCTIONS__;
  return (
    <section className={styles.list} aria-label="Function gallery">
      {functions.map((fn) => {
        const signature = `LTV.${fn.id}(${fn.parameters.map((p) => (p.optional ? `[${p.name}]` : p.name)).join(", ")})`;
        const example = FUNCTION_EXAMPLES[fn.id];
        return (
          <Card key={fn.id} size="small">
            <CardHeader header={<Text weight="semibold" className={styles.code}>{signature}</Text>} description={<Caption1>{fn.description}</Caption1>} />
            <ul className={styles.params}>
              {fn.parameters.map((p) => (
                <li key={p.name}>
                  <Caption1>
                    <span className={styles.code}>{p.name}</span>: {p.description}
                  </Caption1>
                </li>
              ))}
            </ul>
            {example && (
              <Body1>
                Example: <span className={styles.code}>{example}</span>{" "}
                <Button size="small" appearance="primary" onClick={() => onInsert(example)} aria-label={`Insert ${example} into the active cell`}>
                  Insert
                </Button>
              </Body1>
            )}
          </Card>
        );
      })}
    </section>
  );
}
