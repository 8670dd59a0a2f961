import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from "@fluentui/react-components";

/** Asks before the pane writes over something of the user's: Confirm or Cancel, nothing else. */
export function ConfirmDialog({ title, message, confirm, onConfirm, onCancel }: { title: string; message: string | undefined; confirm: string; onConfirm: () => void; onCancel: () => void }) {
  return (
    <Dialog open={message !== undefined} onOpenChange={(_, d) => !d.open && onCancel()} modalType="alert">
      <DialogSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent>{message}</DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onConfirm}>
              {confirm}
            </Button>
            <Button onClick={onCancel}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
